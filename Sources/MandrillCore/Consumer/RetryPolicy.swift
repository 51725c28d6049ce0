/// How failed restarts are retried within one delivery, and when a message is nacked or
/// dead-lettered instead.
public struct RetryPolicy: Sendable, Equatable {
    /// Restart attempts within one delivery.
    public var maxAttempts: Int
    /// Backoff before the second attempt.
    public var initialBackoff: Duration
    /// Upper bound of any backoff.
    public var maxBackoff: Duration
    /// Growth factor from one backoff to the next.
    public var multiplier: Double
    /// Random spread as a fraction of the backoff (0.2 = ±20%).
    public var jitter: Double
    /// A message still failing on this delivery attempt is dead-lettered.
    public var maxDeliveries: Int
    /// Delay before a nacked message is redelivered.
    public var nackDelay: Duration

    /// Creates a policy from `retry.*` settings.
    public init(_ settings: RetrySettings) {
        maxAttempts = settings.maxAttempts
        initialBackoff = .seconds(double: settings.initialBackoffSeconds)
        maxBackoff = .seconds(double: settings.maxBackoffSeconds)
        multiplier = settings.multiplier
        jitter = settings.jitter
        maxDeliveries = settings.maxDeliveries
        nackDelay = .seconds(double: settings.nackDelaySeconds)
    }

    /// The pause after failed attempt `attempt` (1-based) before the next one:
    /// `initial × multiplier^(attempt-1)`, capped at `maxBackoff`, spread by ±`jitter`.
    public func backoff(after attempt: Int, random: inout some RandomNumberGenerator) -> Duration {
        let base = min(
            initialBackoff.seconds * pow(multiplier, Double(max(0, attempt - 1))),
            maxBackoff.seconds)
        let spread = jitter > 0 ? Double.random(in: -jitter...jitter, using: &random) : 0
        return .seconds(double: min(base * (1 + spread), maxBackoff.seconds))
    }

    /// Whether a message that failed on delivery `attempt` is dead-lettered rather than nacked.
    public func isFinalDelivery(_ attempt: Int) -> Bool { attempt >= maxDeliveries }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 {
            result *= base
            remaining -= 1
            if result > 1e12 { break }
        }
        return result
    }
}
