import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where finished log lines go.
public protocol LogSink: Sendable {
    /// Writes one complete line (it ends with a newline).
    func write(_ line: String)
}

/// Writes lines to standard error with one `write(2)` per line, so lines from many
/// threads never interleave.
public struct StandardErrorSink: LogSink {
    /// Creates the sink.
    public init() {}

    public func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Whether `JOURNAL_STREAM` names this process's stderr, so journald priority
    /// prefixes are understood.
    public static func isJournald(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
            return false
        }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
