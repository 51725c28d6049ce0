import Synchronization

/// A Redis endpoint that connects lazily and reconnects after failures. Sendable: its
/// state is a `Mutex`.
///
/// A call that finds no usable connection connects first; callers arriving meanwhile
/// share that attempt. A failed attempt throws to every caller waiting for it, and the
/// next call tries again after the backoff (slept on the injected clock). A call that
/// breaks the connection throws, and the next call reconnects at once.
public final class RedisClient: RedisCommandSender {
    /// The server this client talks to.
    public let endpoint: RedisEndpoint
    /// Timeouts and limits for each connection.
    public let options: RedisConnection.Options
    /// The wait between failed connect attempts.
    public let backoff: RedisReconnectBackoff

    private let clock: any MandrillClock
    private let onStateChange: @Sendable (Event) -> Void
    private let state = Mutex(RedisClientStateMachine())

    /// Creates a client; it connects on the first call. `onStateChange` is called once
    /// per connect, failed attempt and lost connection, on the task that saw it.
    public init(
        endpoint: RedisEndpoint,
        options: RedisConnection.Options = RedisConnection.Options(),
        backoff: RedisReconnectBackoff = RedisReconnectBackoff(),
        clock: any MandrillClock = SystemClock(),
        onStateChange: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.endpoint = endpoint
        self.options = options
        self.backoff = backoff
        self.clock = clock
        self.onStateChange = onStateChange
    }

    /// Whether a usable connection is open now (for readiness checks).
    public var isConnected: Bool { state.withLock { $0.connected != nil } }

    /// How many connect attempts have failed since the last success.
    public var consecutiveFailures: Int { state.withLock { $0.failures } }

    /// Sends `commands` as one pipeline on the current connection, connecting first if
    /// needed. See `RedisConnection.send(_:readTimeout:)`.
    public func send(_ commands: [[String]], readTimeout: Duration?) async throws -> [RESPValue] {
        let connection = try await connection()
        do {
            return try await connection.send(commands, readTimeout: readTimeout)
        } catch {
            if !connection.isOpen, state.withLock({ $0.connectionBroke(connection) }) {
                onStateChange(.disconnected(RedisError.wrapping(error)))
            }
            throw error
        }
    }

    /// Closes the connection and stops reconnecting; later calls throw
    /// `RedisError.connectionClosed`.
    public func close() {
        let (attempt, waiters, connection) = state.withLock { $0.close() }
        attempt?.cancel()
        connection?.close()
        for waiter in waiters { waiter.resume(throwing: RedisError.connectionClosed) }
    }

    private func connection() async throws -> RedisConnection {
        if let connection = state.withLock({ $0.connected }) { return connection }
        let id = state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiter in
                let action = state.withLock {
                    $0.wait(id, waiter, isCancelled: Task.isCancelled) {
                        Task { await self.attemptConnect() }
                    }
                }
                switch action {
                case .use(let connection): waiter.resume(returning: connection)
                case .fail(let error): waiter.resume(throwing: error)
                case .waitForAttempt: break
                }
            }
        } onCancel: {
            state.withLock { $0.removeWaiter(id) }?.resume(throwing: CancellationError())
        }
    }

    private func attemptConnect() async {
        let now = clock.now
        let wait = state.withLock { $0.remainingBackoff(backoff, now: now) }
        do {
            if wait > .zero { try await clock.sleep(for: wait) }
            let connection = try await RedisConnection.connect(to: endpoint, options: options)
            guard let (waiters, attempt) = state.withLock({ $0.attemptSucceeded(connection) }) else {
                return connection.close()
            }
            onStateChange(.connected(attempt: attempt))
            for waiter in waiters { waiter.resume(returning: connection) }
        } catch {
            let failedAt = clock.now
            guard let (waiters, attempt) = state.withLock({ $0.attemptFailed(at: failedAt) }) else { return }
            let failure = RedisError.wrapping(error)
            onStateChange(.connectFailed(failure, attempt: attempt, retryIn: backoff.delay(afterFailures: attempt)))
            for waiter in waiters { waiter.resume(throwing: failure) }
        }
    }
}
