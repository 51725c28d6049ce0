/// `lease.*`: how long a message stays ours while we work on it.
public struct LeaseSettings: Codable, Sendable, Equatable {
    /// Each extension pushes the lease this far into the future.
    public var ackDeadlineSeconds: Double = 10
    /// How often the lease keeper extends every outstanding lease (one batch).
    public var extendEverySeconds: Double = 3
    /// Longest a message is kept; then its handler is cancelled and it is nacked.
    public var maxLeaseSeconds: Double = 3600

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ackDeadlineSeconds, extendEverySeconds, maxLeaseSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ackDeadlineSeconds = try c.value(.ackDeadlineSeconds, ackDeadlineSeconds)
        extendEverySeconds = try c.value(.extendEverySeconds, extendEverySeconds)
        maxLeaseSeconds = try c.value(.maxLeaseSeconds, maxLeaseSeconds)
    }
}

/// `retry.*`: how failing restarts are retried, nacked and dead-lettered.
public struct RetrySettings: Codable, Sendable, Equatable {
    /// Restart attempts within one delivery before the message is nacked.
    public var maxAttempts = 3
    /// Backoff before the second attempt.
    public var initialBackoffSeconds: Double = 0.2
    /// Backoff never exceeds this.
    public var maxBackoffSeconds: Double = 10
    /// Each backoff is this many times the previous one.
    public var multiplier: Double = 2
    /// Random spread of each backoff, as a fraction (0.2 = ±20%).
    public var jitter: Double = 0.2
    /// A message failing on this delivery attempt (or later) is dead-lettered, not nacked.
    public var maxDeliveries = 5
    /// How long a nacked message waits before it is redelivered.
    public var nackDelaySeconds: Double = 1

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxAttempts, initialBackoffSeconds, maxBackoffSeconds, multiplier, jitter, maxDeliveries,
            nackDelaySeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try c.value(.maxAttempts, maxAttempts)
        initialBackoffSeconds = try c.value(.initialBackoffSeconds, initialBackoffSeconds)
        maxBackoffSeconds = try c.value(.maxBackoffSeconds, maxBackoffSeconds)
        multiplier = try c.value(.multiplier, multiplier)
        jitter = try c.value(.jitter, jitter)
        maxDeliveries = try c.value(.maxDeliveries, maxDeliveries)
        nackDelaySeconds = try c.value(.nackDelaySeconds, nackDelaySeconds)
    }
}
