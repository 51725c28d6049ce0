import Foundation

/// All of `safety.blackoutWindows`: whether an instant falls in a blackout and when the
/// blackout ends.
///
/// Sendable: an immutable value.
struct BlackoutCalendar: Sendable {
    /// A blackout in force.
    struct Blackout: Sendable {
        /// The window covering the instant asked about.
        let window: BlackoutWindow
        /// When no window covers time any more (epoch seconds); adjoining or overlapping
        /// windows extend it.
        let end: Double

        /// The reason given for a deferral: `blackout window 22:00-06:00 Europe/Berlin until 2027-01-16T06:00:00+01:00`.
        var reason: String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = window.timeZone
            let until = formatter.string(from: Date(timeIntervalSince1970: end))
            return "blackout window \(window.hours) \(window.timeZone.identifier) until \(until)"
        }
    }

    private let windows: [BlackoutWindow]

    /// Compiles the windows; entries that do not parse are left out (validation reports them).
    init(_ settings: [BlackoutWindowSettings]) {
        windows = settings.compactMap(BlackoutWindow.init)
    }

    /// The blackout in force at `wallTime` (epoch seconds), or nil.
    func blackout(at wallTime: Double) -> Blackout? {
        let now = Date(timeIntervalSince1970: wallTime)
        guard let first = windows.first(where: { $0.end(ofOccurrenceCovering: now) != nil }) else { return nil }
        // Follow windows that begin where another ends, so the message is not deferred
        // into a blackout; bounded, since windows on every day of the week never end.
        var end = now
        for _ in 0..<8 {
            guard let later = windows.compactMap({ $0.end(ofOccurrenceCovering: end) }).max() else { break }
            end = later
        }
        return Blackout(window: first, end: end.timeIntervalSince1970)
    }
}
