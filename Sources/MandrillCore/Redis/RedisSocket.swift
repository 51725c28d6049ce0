#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking stream socket whose every wait is a `poll(2)` with a deadline.
/// Sendable: it is only a descriptor number; the owner guarantees `close()` runs once,
/// after every other use.
///
/// All methods block the calling thread, so they run on a connection's own queue, never
/// on the cooperative pool. `shutdown()` may be called from any thread to wake a blocked
/// read or write.
struct RedisSocket: Sendable {
    let descriptor: Int32

    /// Writes all of `bytes`, or throws `.timeout` at `deadline`.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(RedisError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that went away must give EPIPE, not kill the daemon.
            let sent = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard try Self.wait(descriptor, for: Int16(POLLOUT), until: deadline) else { throw .timeout }
            default: throw Self.failure(code, "write")
            }
        }
    }

    /// Reads at least one byte into `buffer`; throws `.connectionClosed` at end of stream
    /// and `.timeout` at `deadline`.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(RedisError) -> Int {
        while true {
            let received = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if received > 0 { return received }
            if received == 0 { throw .connectionClosed }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard try Self.wait(descriptor, for: Int16(POLLIN), until: deadline) else { throw .timeout }
            default: throw Self.failure(code, "read")
            }
        }
    }

    /// Ends both directions, waking any thread blocked in `read` or `write`.
    func shutdown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Releases the descriptor.
    func close() {
        _ = Glibc.close(descriptor)
    }

    /// Waits until `events` are ready (true) or `deadline` passes (false). With a
    /// `cancellationCheck`, it wakes every 50 ms to ask whether to give up.
    static func wait(
        _ descriptor: Int32, for events: Int16, until deadline: ContinuousClock.Instant,
        cancellationCheck: (() -> Bool)? = nil
    ) throws(RedisError) -> Bool {
        while true {
            var remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            if cancellationCheck != nil { remaining = min(remaining, .milliseconds(50)) }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds(remaining))
            // Any revents, even POLLHUP or POLLERR, means the next call reports the outcome.
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { throw failure(errno, "poll") }
            if let cancellationCheck, cancellationCheck() { throw .connectionClosed }
        }
    }

    /// A closed peer is `.connectionClosed`; anything else is `.ioFailed`.
    static func failure(_ code: Int32, _ operation: String) -> RedisError {
        switch code {
        case EPIPE, ECONNRESET, ENOTCONN, ESHUTDOWN, ECONNABORTED: .connectionClosed
        default: .ioFailed("\(operation): \(String(cString: strerror(code)))")
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        // Round up, so a wait never ends just before its deadline and spins.
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }
}
