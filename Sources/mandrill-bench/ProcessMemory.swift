import Foundation

/// This process's memory as Linux reports it in `/proc/self/status`.
enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in KiB, or nil when unavailable.
    static var peakResidentKilobytes: Int? { field("VmHWM") }

    /// Current resident set size (`VmRSS`) in KiB, or nil when unavailable.
    static var residentKilobytes: Int? { field("VmRSS") }

    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // "VmHWM:     12345 kB"
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }
}
