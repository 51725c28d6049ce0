import Foundation

/// One `safety.blackoutWindows` entry, ready to test instants against: the hours in its
/// time zone, on the weekdays it may start on.
///
/// Sendable: an immutable value.
struct BlackoutWindow: Sendable {
    /// `hours` as configured, for reasons (`22:00-06:00`).
    let hours: String
    /// The IANA zone the hours are in.
    let timeZone: TimeZone
    private let range: HourRange
    /// Foundation weekday numbers the window may start on; empty means every day.
    private let weekdays: Set<Int>
    private let calendar: Calendar

    /// Nil when the entry does not parse (validation reports those before this runs).
    init?(_ settings: BlackoutWindowSettings) {
        guard let range = HourRange(parsing: settings.hours), let zone = TimeZone(identifier: settings.timezone) else {
            return nil
        }
        var weekdays = Set<Int>()
        for name in settings.weekdays {
            guard let day = Weekday(name: name) else { return nil }
            weekdays.insert(day.rawValue)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.hours = settings.hours
        self.timeZone = zone
        self.range = range
        self.weekdays = weekdays
        self.calendar = calendar
    }

    /// The end of the occurrence of this window that covers `date`, or nil when none does.
    func end(ofOccurrenceCovering date: Date) -> Date? {
        // An occurrence lasts at most a day, so only one starting today or yesterday
        // (a window crossing midnight) can cover `date`.
        let crossesMidnight = range.endMinute <= range.startMinute
        let endMinute = range.endMinute + (crossesMidnight ? 24 * 60 : 0)
        for daysBack in 0...1 {
            guard let day = localDay(of: date, adding: -daysBack) else { continue }
            guard weekdays.isEmpty || weekdays.contains(day.weekday) else { continue }
            guard let start = instant(on: day.components, minute: range.startMinute),
                let end = instant(on: day.components, minute: endMinute)
            else { continue }
            if start <= date && date < end { return end }
        }
        return nil
    }

    /// The local calendar day `days` away from the one holding `date`, and its weekday.
    private func localDay(of date: Date, adding days: Int) -> (components: DateComponents, weekday: Int)? {
        // Stepping from local noon keeps daylight-saving shifts from changing the day.
        var noon = calendar.dateComponents([.year, .month, .day], from: date)
        noon.hour = 12
        guard let today = calendar.date(from: noon), let day = calendar.date(byAdding: .day, value: days, to: today)
        else { return nil }
        return (calendar.dateComponents([.year, .month, .day], from: day), calendar.component(.weekday, from: day))
    }

    /// The instant `minute` minutes after the local midnight that starts `day`; minutes
    /// past 24 h roll into the next day.
    private func instant(on day: DateComponents, minute: Int) -> Date? {
        // Calendar normalises a day past the month's end into the next month.
        let components = DateComponents(
            year: day.year, month: day.month, day: (day.day ?? 1) + minute / (24 * 60),
            hour: minute % (24 * 60) / 60, minute: minute % 60)
        return calendar.date(from: components)
    }
}
