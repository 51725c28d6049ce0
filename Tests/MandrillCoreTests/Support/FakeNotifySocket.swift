import Foundation
import MandrillCore
#if canImport(Glibc)
import Glibc
#endif

/// Stands in for systemd's notification socket: a datagram socket bound at a temporary
/// path or an abstract name, read on its own thread; each datagram arrives on `messages`.
final class FakeNotifySocket: Sendable {
    struct Timeout: Error {}

    /// The value to put in `NOTIFY_SOCKET`.
    let notifySocket: String
    /// Every datagram received, in order.
    let messages: AsyncStream<String>
    private let fd: Int32
    private let wake: [Int32]
    private let finished = DispatchSemaphore(value: 0)

    /// Binds a fresh socket: an abstract name (`@…`) or a path under /tmp.
    init(abstract: Bool) throws {
        let name = "mandrill-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        notifySocket = abstract ? "@" + name : "/tmp/\(name).sock"
        guard let address = UnixDatagramAddress(notifySocket: notifySocket) else { throw POSIXError(.EINVAL) }
        let socketFD = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        fd = socketFD
        let bound = address.withSockaddr { bind(socketFD, $0, $1) }
        var pair: [Int32] = [-1, -1]
        guard fd >= 0, bound == 0,
              socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0
        else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        wake = pair
        let (stream, continuation) = AsyncStream<String>.makeStream()
        messages = stream
        let (fd, wakeEnd, finished) = (fd, pair[0], finished)
        Thread.detachNewThread {
            defer { finished.signal() }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                var descriptors = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                                   pollfd(fd: wakeEnd, events: Int16(POLLIN), revents: 0)]
                guard poll(&descriptors, 2, -1) >= 0 || errno == EINTR else { break }
                if descriptors[1].revents != 0 { break }
                guard descriptors[0].revents != 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 { continuation.yield(String(decoding: buffer[..<count], as: UTF8.self)) }
            }
            continuation.finish()
        }
    }

    /// The next datagram, or `Timeout` when none arrives within `timeout`.
    func next(within timeout: Duration = .seconds(2)) async throws -> String {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { [messages] in
                var iterator = messages.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout()
            }
            defer { group.cancelAll() }
            guard let message = try await group.next() ?? nil else { throw Timeout() }
            return message
        }
    }

    /// Stops the reader thread, closes the socket and removes its path.
    func close() {
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        _ = finished.wait(timeout: .now() + 2)
        _ = Glibc.close(fd)
        wake.forEach { _ = Glibc.close($0) }
        if !notifySocket.hasPrefix("@") { unlink(notifySocket) }
    }
}
