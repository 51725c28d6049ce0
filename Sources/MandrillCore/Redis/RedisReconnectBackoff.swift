/// How long `RedisClient` waits before each reconnect attempt after failed ones:
/// `initialDelay`, then `multiplier` times longer each time, capped at `maximumDelay`.
/// Sendable.
public struct RedisReconnectBackoff: Sendable, Equatable {
    /// The wait after the first failed attempt.
    public var initialDelay: Duration
    /// The longest wait.
    public var maximumDelay: Duration
    /// The factor between successive waits.
    public var multiplier: Int

    /// A backoff of 100 ms doubling up to 5 s.
    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5), multiplier: Int = 2) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
    }

    /// The wait before the next attempt after `failures` consecutive failed attempts;
    /// zero when nothing has failed.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initialDelay
        // Stop multiplying at the cap, so large failure counts cannot overflow.
        for _ in 1 ..< min(failures, 64) where delay < maximumDelay {
            delay = delay * multiplier
        }
        return min(delay, maximumDelay)
    }
}
