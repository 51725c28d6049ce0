#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics of this process, read from `/proc/self` at scrape time.
///
/// Sendable: a stateless namespace. Linux only; elsewhere it reports no families.
public enum ProcessMetrics {
    /// Adds a collector that reports the process metrics on every `render()`.
    public static func register(in registry: MetricsRegistry) {
        registry.registerCollector { families() }
    }

    /// Resident and virtual memory, CPU seconds, start time, open and maximum file descriptors.
    public static func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        if let stat = ProcessStat.current() {
            families += [
                gauge("process_resident_memory_bytes", "Resident memory size in bytes.", stat.residentBytes),
                gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", stat.virtualBytes),
                MetricFamily(
                    name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                    kind: .counter, samples: [MetricSample(value: stat.cpuSeconds)]),
                gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                      stat.startTimeSeconds),
            ]
        }
        if let open = openFileDescriptors() {
            families.append(gauge("process_open_fds", "Number of open file descriptors.", Double(open)))
        }
        #if canImport(Glibc)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            families.append(gauge("process_max_fds", "Maximum number of open file descriptors.",
                                  Double(limit.rlim_cur)))
        }
        #endif
        return families
    }

    private static func gauge(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .gauge, samples: [MetricSample(value: value)])
    }

    /// Entries of `/proc/self/fd`, less the descriptor used to list it.
    static func openFileDescriptors() -> Int? {
        #if canImport(Glibc)
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count - 1
        #else
        return nil
        #endif
    }
}
