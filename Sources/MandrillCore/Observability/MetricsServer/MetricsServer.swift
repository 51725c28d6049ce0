import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 responder for `/metrics`, on blocking sockets and its own threads.
///
/// One accept thread plus one thread per connection, capped at `limits.maxConnections`
/// (excess connections get 503 and are closed). Each connection serves one request and
/// closes. Every wait is bounded by a limit and interrupted by `stop()`, so a slow or
/// hostile client can hold only its own thread, and only until its deadline.
/// Sendable: mutable state is in a `Mutex`; the rest is immutable.
public final class MetricsServer: Sendable {
    /// The address the server listens on.
    public let address: ListenAddress
    let limits: MetricsServerLimits
    let handler: @Sendable (HTTPRequestHead) -> HTTPResponse
    let state = Mutex(State())
    // Entered for the accept thread and every connection thread: waiting on it is the join.
    let threads = DispatchGroup()
    private let stopSignal = AsyncStream<Never>.makeStream()

    struct State {
        enum Phase {
            case idle
            case starting
            case running(wake: WakePipe, port: Int)
            case stopped
        }

        var phase = Phase.idle
        var activeConnections = 0
    }

    /// Creates a server for `address`; nothing is bound until `start()`.
    public init(address: ListenAddress, limits: MetricsServerLimits = MetricsServerLimits(),
                handler: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse) {
        self.address = address
        self.limits = limits
        self.handler = handler
    }

    /// Creates a server for `listen` (`host:port` or `[ipv6]:port`); throws
    /// `MetricsServerError` (`.invalidListenAddress`) when it does not parse. The caller
    /// treats `""` (server off) before calling this.
    public convenience init(listen: String, limits: MetricsServerLimits = MetricsServerLimits(),
                            handler: @escaping @Sendable (HTTPRequestHead) -> HTTPResponse) throws(MetricsServerError) {
        guard let address = ListenAddress(parsing: listen) else {
            throw MetricsServerError(
                .invalidListenAddress,
                "invalid metrics listen address \"\(listen)\": expected host:port, for example 127.0.0.1:9464 or [::1]:9464")
        }
        self.init(address: address, limits: limits, handler: handler)
    }

    /// The bound port while running, else nil.
    public var port: Int? {
        state.withLock { state in
            if case .running(_, let port) = state.phase { return port }
            return nil
        }
    }

    /// Binds, listens and starts the accept thread; returns the bound port (the kernel's
    /// choice when the address says port 0). Throws `MetricsServerError`; callable once.
    @discardableResult
    public func start() throws(MetricsServerError) -> Int {
        let claimed = state.withLock { state -> Bool in
            guard case .idle = state.phase else { return false }
            state.phase = .starting
            return true
        }
        guard claimed else { throw MetricsServerError(.notStartable, "metrics server on \(address) already started or stopped") }
        let listener: SocketDescriptor
        let port: Int
        do {
            (listener, port) = try address.bindListener()
        } catch {
            state.withLock { $0.phase = .stopped }
            throw error
        }
        guard let wake = WakePipe() else {
            listener.close()
            state.withLock { $0.phase = .stopped }
            throw MetricsServerError(.bindFailed, "cannot start metrics server on \(address): out of file descriptors")
        }
        // Entered before the phase flips, so a concurrent stop() waits for the accept thread.
        threads.enter()
        let running = state.withLock { state -> Bool in
            guard case .starting = state.phase else { return false }
            state.phase = .running(wake: wake, port: port)
            return true
        }
        guard running, DetachedThread.spawn({ self.acceptLoop(listener, wake: wake) }) else {
            threads.leave()
            listener.close()
            wake.close()
            state.withLock { $0.phase = .stopped }
            throw MetricsServerError(.notStartable, "metrics server on \(address) stopped while starting or no thread available")
        }
        return port
    }

    /// Stops accepting, closes the listener, wakes and closes every connection, and waits
    /// at most `limits.stopTimeout` for the threads to finish. Idempotent.
    public func stop() {
        let wake = state.withLock { state -> WakePipe? in
            defer { state.phase = .stopped }
            if case .running(let wake, _) = state.phase { return wake }
            return nil
        }
        stopSignal.continuation.finish()
        guard let wake else { return }
        wake.signal()
        let (seconds, attoseconds) = limits.stopTimeout.components
        let timeout = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        // A thread still running after the timeout may still poll the wake pair: leak it then.
        if threads.wait(timeout: timeout) == .success {
            wake.close()
        }
    }

    /// Starts the server, runs until the task is cancelled or `stop()` is called, then stops.
    public func run() async throws {
        // The daemon starts the server early, so a taken port fails the start; run() then
        // only serves until cancelled.
        if port == nil { try start() }
        for await _ in stopSignal.stream {}
        // stop() waits for threads; do that off the cooperative pool.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let spawned = DetachedThread.spawn {
                self.stop()
                continuation.resume()
            }
            if !spawned {
                stop()
                continuation.resume()
            }
        }
    }
}
