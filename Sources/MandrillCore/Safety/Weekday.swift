/// A day of the week as blackout windows name it (`mon` … `sun`).
public enum Weekday: Int, Sendable, CaseIterable {
    // Raw values follow Foundation's Calendar weekday numbering (1 = Sunday).
    case sun = 1, mon, tue, wed, thu, fri, sat

    /// Parses `mon`, `monday`, `Mon`, …
    public init?(name: String) {
        let prefix = name.lowercased().prefix(3)
        guard let day = Weekday.allCases.first(where: { "\($0)" == prefix }),
            name.count == 3 || "\(day)\(Weekday.suffixes[day.rawValue - 1])" == name.lowercased()
        else { return nil }
        self = day
    }

    private static let suffixes = ["day", "day", "sday", "nesday", "rsday", "day", "urday"]
}

/// `HH:MM-HH:MM` in minutes after midnight; `end <= start` means the range crosses midnight.
public struct HourRange: Sendable, Equatable {
    /// Minutes after midnight when the range starts.
    public let startMinute: Int
    /// Minutes after midnight when the range ends.
    public let endMinute: Int

    /// Parses `22:00-06:00`.
    public init?(parsing text: String) {
        let halves = text.split(separator: "-", omittingEmptySubsequences: false)
        guard halves.count == 2, let start = Self.minutes(halves[0]), let end = Self.minutes(halves[1]) else {
            return nil
        }
        startMinute = start
        endMinute = end
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}

private extension Set where Element == Character {
    static var whitespaces: Set<Character> { [" ", "\t"] }
}
