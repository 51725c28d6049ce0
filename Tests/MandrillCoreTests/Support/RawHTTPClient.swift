import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately simple HTTP client for tests: sends raw bytes over a loopback TCP
/// connection and reads to end of stream, with blocking calls on their own threads.
enum RawHTTPClient {
    /// What came back.
    struct Reply: Sendable {
        /// Everything read before end of stream, reset or timeout.
        let raw: String

        /// The status code, or nil when no status line arrived.
        var status: Int? {
            let parts = raw.prefix { $0 != "\r" }.split(separator: " ")
            return parts.count >= 2 ? Int(parts[1]) : nil
        }

        /// The first value of header `name` (case-insensitive).
        func header(_ name: String) -> String? {
            let head = raw.components(separatedBy: "\r\n\r\n").first ?? ""
            for line in head.components(separatedBy: "\r\n").dropFirst() {
                let pieces = line.split(separator: ":", maxSplits: 1)
                if pieces.count == 2, pieces[0].lowercased() == name.lowercased() {
                    return pieces[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        /// The body after the blank line.
        var body: String {
            raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        }
    }

    /// `METHOD path` with `Connection: close`.
    static func request(_ path: String, method: String = "GET", port: Int) async -> Reply {
        await send(Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8), port: port)
    }

    /// Connects, sends `bytes` (ignoring send errors), reads until the server closes.
    static func send(_ bytes: [UInt8], port: Int, timeout: Duration = .seconds(3)) async -> Reply {
        await offThread {
            guard let connection = LoopbackConnection(port: port, timeout: timeout) else { return Reply(raw: "") }
            defer { connection.close() }
            connection.write(bytes)
            return Reply(raw: String(decoding: connection.readToEnd().bytes, as: UTF8.self))
        }
    }

    /// Runs blocking `body` on a new thread and awaits its result.
    static func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
