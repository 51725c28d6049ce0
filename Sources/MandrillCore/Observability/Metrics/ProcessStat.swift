#if canImport(Glibc)
import Glibc
#endif

/// The fields of `/proc/self/stat` the process metrics need, converted to units.
struct ProcessStat: Sendable, Equatable {
    /// User plus system CPU time, seconds.
    var cpuSeconds: Double
    /// Start time, seconds since the Unix epoch.
    var startTimeSeconds: Double
    /// Virtual memory size, bytes.
    var virtualBytes: Double
    /// Resident set size, bytes.
    var residentBytes: Double

    /// Reads this process's figures, or nil off Linux or when `/proc` is unreadable.
    static func current() -> ProcessStat? {
        #if canImport(Glibc)
        guard let stat = ProcFile.read("/proc/self/stat"),
              let system = ProcFile.read("/proc/stat"),
              let bootTime = bootTimeSeconds(procStat: system)
        else { return nil }
        return parse(stat: stat, bootTime: bootTime,
                     ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))),
                     pageSize: Double(sysconf(Int32(_SC_PAGESIZE))))
        #else
        return nil
        #endif
    }

    /// Parses `/proc/<pid>/stat`; fields are counted after the `)` closing the command
    /// name, because the name itself may contain spaces and parentheses.
    static func parse(stat: String, bootTime: Double, ticksPerSecond: Double, pageSize: Double) -> ProcessStat? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) is index 0, so field N is index N - 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? {
            fields.indices.contains(number - 3) ? Double(fields[number - 3]) : nil
        }
        guard let userTicks = field(14), let systemTicks = field(15), let startTicks = field(22),
              let virtualBytes = field(23), let residentPages = field(24), ticksPerSecond > 0
        else { return nil }
        return ProcessStat(
            cpuSeconds: (userTicks + systemTicks) / ticksPerSecond,
            startTimeSeconds: bootTime + startTicks / ticksPerSecond,
            virtualBytes: virtualBytes,
            residentBytes: residentPages * pageSize)
    }

    /// The `btime` line of `/proc/stat`: boot time in seconds since the Unix epoch.
    static func bootTimeSeconds(procStat: String) -> Double? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingPrefix(" "))
        }
        return nil
    }
}
