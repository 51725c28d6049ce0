#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd about the service's state over `$NOTIFY_SOCKET` (the `sd_notify` protocol).
///
/// Sendable value type. With `NOTIFY_SOCKET` unset (not run by systemd, or a unit without
/// `Type=notify`) every call is a no-op returning false. Sends never block and never
/// throw: a datagram that cannot be sent at once is dropped and the call returns false.
public struct SystemdNotifier: Sendable {
    /// Where notifications go, or nil when disabled.
    public let socketAddress: UnixDatagramAddress?
    /// How often to call `watchdog()`: half of `WATCHDOG_USEC`, when systemd's watchdog is
    /// on for this process (`WATCHDOG_PID` absent or equal to `pid`), else nil.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`;
    /// `pid` is this process's id (injectable for tests). An unusable `NOTIFY_SOCKET`
    /// (not a path, not `@abstract`, too long) disables notification.
    public init(environment: [String: String], pid: Int32 = getpid()) {
        socketAddress = environment["NOTIFY_SOCKET"].flatMap(UnixDatagramAddress.init(notifySocket:))
        let watchdogPID = environment["WATCHDOG_PID"].map { Int32($0) }
        if let microseconds = environment["WATCHDOG_USEC"].flatMap({ UInt64($0) }), microseconds > 0,
           watchdogPID == nil || watchdogPID == pid {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether `NOTIFY_SOCKET` named a usable socket.
    public var isEnabled: Bool { socketAddress != nil }

    /// `READY=1`: start-up finished.
    @discardableResult public func ready() -> Bool { send("READY=1") }

    /// `STATUS=…`: a one-line status shown by `systemctl status` (line breaks become spaces).
    @discardableResult public func status(_ text: String) -> Bool {
        send("STATUS=" + text.map { $0.isNewline ? " " : String($0) }.joined())
    }

    /// `STOPPING=1`: graceful shutdown began.
    @discardableResult public func stopping() -> Bool { send("STOPPING=1") }

    /// `RELOADING=1` with the `MONOTONIC_USEC` that `Type=notify-reload` requires; send
    /// `ready()` when the reload is done.
    @discardableResult public func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return send("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
    }

    /// `WATCHDOG=1`: still alive; call every `watchdogInterval`.
    @discardableResult public func watchdog() -> Bool { send("WATCHDOG=1") }

    /// `EXTEND_TIMEOUT_USEC=…`: ask for `duration` more before the start or stop timeout
    /// fires (the drain can outlast `TimeoutStopSec`).
    @discardableResult public func extendTimeout(_ duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return send("EXTEND_TIMEOUT_USEC=\(microseconds)")
    }

    /// Sends `state` (newline-separated `KEY=value` assignments) as one datagram; false
    /// when disabled or the send failed.
    @discardableResult public func send(_ state: String) -> Bool {
        guard let socketAddress else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(state.utf8)
        let sent = socketAddress.withSockaddr { address, length in
            bytes.withUnsafeBytes {
                sendto(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), address, length)
            }
        }
        return sent == bytes.count
    }
}
