/// `safety.maxRestartsPerMinute` as a token bucket: a burst of up to a tenth of the
/// minute's allowance (at least one), refilled continuously at rate / 60 per second.
///
/// Sendable: a value; the gate keeps it under its lock.
struct TokenBucket: Sendable {
    /// Most tokens the bucket holds; 0 when unlimited.
    private(set) var capacity: Double
    /// Tokens added per second; 0 when unlimited.
    private(set) var refillPerSecond: Double
    private var tokens: Double
    private var updatedAt: ContinuousClock.Instant

    /// A full bucket for `perMinute` restarts a minute (0 = unlimited).
    init(perMinute: Double, now: ContinuousClock.Instant) {
        capacity = perMinute > 0 ? max(1, perMinute / 6) : 0
        refillPerSecond = perMinute / 60
        tokens = capacity
        updatedAt = now
    }

    var isUnlimited: Bool { refillPerSecond <= 0 }

    // Refills are sums of fractions; a hair's tolerance keeps a waiter that wakes exactly
    // at `nextToken` from finding 0.9999999 tokens and sleeping again.
    private var hasWholeToken: Bool { tokens >= 1 - 1e-9 }

    /// Takes one token if there is one.
    mutating func take(now: ContinuousClock.Instant) -> Bool {
        guard !isUnlimited else { return true }
        refill(now: now)
        guard hasWholeToken else { return false }
        tokens = max(0, tokens - 1)
        return true
    }

    /// When the next whole token will be there.
    mutating func nextToken(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard !isUnlimited else { return now }
        refill(now: now)
        guard !hasWholeToken else { return now }
        // Rounded up to a whole nanosecond so that waking at the instant finds the token.
        let nanoseconds = ((1 - tokens) / refillPerSecond * 1e9).rounded(.up)
        return now.advanced(by: .nanoseconds(Int64(nanoseconds)))
    }

    /// Adopts a new rate, keeping the tokens saved up (at most the new capacity).
    mutating func reconfigure(perMinute: Double, now: ContinuousClock.Instant) {
        refill(now: now)
        let saved = tokens
        self = TokenBucket(perMinute: perMinute, now: now)
        tokens = min(saved, capacity)
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        let elapsed = updatedAt.duration(to: now).seconds
        if elapsed > 0 {
            tokens = min(capacity, tokens + elapsed * refillPerSecond)
            updatedAt = now
        }
    }
}
