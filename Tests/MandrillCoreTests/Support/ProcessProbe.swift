import Foundation
import Glibc

/// Test helpers that watch real processes: whether a pid is gone, and pid files written
/// by shell snippets. They poll with short pauses under a bounded deadline.
enum ProcessProbe {
    /// A fresh path in the temporary directory; nothing is created.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("mandrill-\(name)-\(UUID().uuidString)").path
    }

    /// Whether `pid` still runs; a zombie counts as gone, since nothing can run in it and
    /// the container's init may be slow to reap reparented orphans.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Waits until `pid` is gone; false if it is still running after `limit`.
    static func waitUntilGone(_ pid: pid_t, within limit: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while isRunning(pid) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Waits until `path` holds a pid (written by `echo $! > path`); nil after `limit`.
    static func waitForPID(in path: String, within limit: Duration = .seconds(3)) async -> pid_t? {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               text.hasSuffix("\n"),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
