#if canImport(Glibc)
import Glibc
#endif

/// A connected or listening socket used with bounded waits: every wait polls the socket
/// together with a `WakePipe`, so `stop()` interrupts it, and a deadline, so no peer
/// can hold a thread forever. Calls never block outside `poll`.
struct SocketDescriptor: Sendable {
    /// Why a wait ended.
    enum Readiness {
        /// The socket is ready (or has an error or hang-up to report).
        case ready
        /// The deadline passed.
        case timedOut
        /// The server is stopping.
        case woken
    }

    /// The file descriptor.
    let fd: Int32

    /// Waits for `events` (`POLLIN`/`POLLOUT`) until `deadline` (nil: no deadline) or a wake-up.
    func wait(for events: Int32, wake: WakePipe, until deadline: ContinuousClock.Instant?) -> Readiness {
        while true {
            var descriptors = [
                pollfd(fd: fd, events: Int16(events), revents: 0),
                pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let result = poll(&descriptors, 2, Self.milliseconds(until: deadline))
            if result < 0 {
                if errno == EINTR { continue }
                return .ready // let the following call report the error
            }
            if descriptors[1].revents != 0 { return .woken }
            if descriptors[0].revents != 0 { return .ready }
            if let deadline, deadline <= .now { return .timedOut }
        }
    }

    /// Reads what is available without blocking: byte count, 0 at end of stream, nil on
    /// error, -1 when nothing is available yet.
    func receive(into buffer: inout [UInt8]) -> Int? {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count >= 0 { return count }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : nil
    }

    /// Sends all of `bytes` before `deadline`; false when the peer is gone, slow or the server stops.
    func sendAll(_ bytes: [UInt8], wake: WakePipe, until deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard case .ready = wait(for: Int32(POLLOUT), wake: wake, until: deadline) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Sends the response, then reads and discards what the client still sends until it
    /// closes (bounded), so the kernel does not reset the connection and destroy the
    /// response before the client has read it.
    func sendAndClose(_ bytes: [UInt8], wake: WakePipe, limits: MetricsServerLimits) {
        defer { close() }
        guard sendAll(bytes, wake: wake, until: .now + limits.writeTimeout) else { return }
        shutdown(fd, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + min(limits.readTimeout, .seconds(1))
        var discarded = 0
        var scratch = [UInt8](repeating: 0, count: 4096)
        while discarded < 1 << 18, case .ready = wait(for: Int32(POLLIN), wake: wake, until: deadline) {
            guard let count = receive(into: &scratch), count != 0 else { return }
            discarded += max(count, 0)
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let (seconds, attoseconds) = (deadline - .now).components
        guard seconds >= 0 else { return 0 }
        // Round up so a wait never ends just before its deadline and spins.
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}

extension SocketDescriptor {
    /// Closes the descriptor.
    func close() {
        _ = Glibc.close(fd)
    }
}
