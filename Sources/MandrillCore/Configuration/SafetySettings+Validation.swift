import Foundation

extension SafetySettings {
    /// Problems with the safety settings, each naming its path under `path`.
    public func validate(path: String) -> [ConfigurationError] {
        var check = ValueChecks()
        check.notNegative("\(path).hostCooldownSeconds", hostCooldownSeconds)
        check.notNegative("\(path).maxRestartsPerMinute", maxRestartsPerMinute)
        check.atLeast("\(path).maxConcurrentRestarts", maxConcurrentRestarts, 0)
        for (index, glob) in (allowHosts + denyHosts).enumerated() where glob.isEmpty {
            let list = index < allowHosts.count ? "allowHosts[\(index)]" : "denyHosts[\(index - allowHosts.count)]"
            check.fail("\(path).\(list)", "must not be empty")
        }
        for (index, window) in blackoutWindows.enumerated() {
            let here = "\(path).blackoutWindows[\(index)]"
            for (dayIndex, day) in window.weekdays.enumerated() where Weekday(name: day) == nil {
                check.fail("\(here).weekdays[\(dayIndex)]", "must be one of mon, tue, wed, thu, fri, sat, sun, not \"\(day)\"")
            }
            if HourRange(parsing: window.hours) == nil {
                check.fail("\(here).hours", "must look like \"22:00-06:00\", not \"\(window.hours)\"")
            }
            if TimeZone(identifier: window.timezone) == nil {
                check.fail("\(here).timezone", "unknown time zone \"\(window.timezone)\"")
            }
        }
        for (index, group) in groups.enumerated() {
            let here = "\(path).groups[\(index)]"
            check.nonEmpty("\(here).name", group.name)
            if group.hosts.isEmpty { check.fail("\(here).hosts", "must list at least one host glob") }
            check.atLeast("\(here).maxRestartsPerWindow", group.maxRestartsPerWindow, 0)
            check.positive("\(here).windowSeconds", group.windowSeconds)
        }
        check.atLeast("\(path).brake.failures", brake.failures, 0)
        check.positive("\(path).brake.windowSeconds", brake.windowSeconds)
        return check.problems
    }
}
