/// The connection state of a `RedisClient`: logic only; the client holds it in a lock
/// and resumes continuations after unlocking. Sendable.
struct RedisClientStateMachine: Sendable {
    typealias Waiter = CheckedContinuation<RedisConnection, any Error>

    private enum Link: Sendable {
        case idle
        case connecting(attempt: Task<Void, Never>?, waiters: [Int: Waiter])
        case connected(RedisConnection)
        case closed
    }

    /// What a caller asking for a connection must do after unlocking.
    enum WaitAction {
        case use(RedisConnection)
        case fail(any Error)
        case waitForAttempt
    }

    private var link = Link.idle
    private var nextWaiterID = 0
    // When the last attempt failed, on the client's clock.
    private var lastFailure: ContinuousClock.Instant?
    private(set) var failures = 0

    var connected: RedisConnection? {
        if case .connected(let connection) = link, connection.isOpen { return connection }
        return nil
    }

    mutating func makeWaiterID() -> Int {
        nextWaiterID += 1
        return nextWaiterID
    }

    /// Registers a waiter; `startAttempt` makes the connect task if none is running.
    mutating func wait(
        _ id: Int, _ waiter: Waiter, isCancelled: Bool, startAttempt: () -> Task<Void, Never>
    ) -> WaitAction {
        if isCancelled { return .fail(CancellationError()) }
        switch link {
        case .closed:
            return .fail(RedisError.connectionClosed)
        case .connected(let connection) where connection.isOpen:
            return .use(connection)
        case .connecting(let attempt, var waiters):
            waiters[id] = waiter
            link = .connecting(attempt: attempt, waiters: waiters)
        case .idle, .connected:
            link = .connecting(attempt: startAttempt(), waiters: [id: waiter])
        }
        return .waitForAttempt
    }

    /// Removes a cancelled waiter, returning it if it was still waiting.
    mutating func removeWaiter(_ id: Int) -> Waiter? {
        guard case .connecting(let attempt, var waiters) = link, let waiter = waiters.removeValue(forKey: id) else {
            return nil
        }
        link = .connecting(attempt: attempt, waiters: waiters)
        return waiter
    }

    /// How long the next attempt must still wait.
    func remainingBackoff(_ backoff: RedisReconnectBackoff, now: ContinuousClock.Instant) -> Duration {
        guard let lastFailure else { return .zero }
        return max(.zero, backoff.delay(afterFailures: failures) - lastFailure.duration(to: now))
    }

    /// Records a successful attempt; `nil` if the client was closed meanwhile.
    mutating func attemptSucceeded(_ connection: RedisConnection) -> (waiters: [Waiter], attempt: Int)? {
        guard case .connecting(_, let waiters) = link else { return nil }
        link = .connected(connection)
        defer { failures = 0; lastFailure = nil }
        return (Array(waiters.values), failures + 1)
    }

    /// Records a failed attempt and returns the waiters to fail and the attempt number.
    mutating func attemptFailed(at instant: ContinuousClock.Instant) -> (waiters: [Waiter], attempt: Int)? {
        guard case .connecting(_, let waiters) = link else { return nil }
        link = .idle
        failures += 1
        lastFailure = instant
        return (Array(waiters.values), failures)
    }

    /// Forgets `connection` if it is the current one; true if it was.
    mutating func connectionBroke(_ connection: RedisConnection) -> Bool {
        guard case .connected(let current) = link, current === connection else { return false }
        link = .idle
        return true
    }

    /// Closes for good, returning what the client must cancel, fail and close.
    mutating func close() -> (attempt: Task<Void, Never>?, waiters: [Waiter], connection: RedisConnection?) {
        defer { link = .closed }
        switch link {
        case .connecting(let attempt, let waiters): return (attempt, Array(waiters.values), nil)
        case .connected(let connection): return (nil, [], connection)
        case .idle, .closed: return (nil, [], nil)
        }
    }
}
