extension RedisClient {
    /// A change in the client's connection, reported to `onStateChange` so the daemon
    /// can log each failure once. Sendable.
    public enum Event: Sendable, Equatable, CustomStringConvertible {
        /// A connection was established after `attempt` tries (1 = first try).
        case connected(attempt: Int)
        /// Connect attempt number `attempt` failed; the next waits `retryIn`.
        case connectFailed(RedisError, attempt: Int, retryIn: Duration)
        /// An established connection broke; the next call reconnects.
        case disconnected(RedisError)

        /// One line for a log.
        public var description: String {
            switch self {
            case .connected(let attempt): "connected to Redis (attempt \(attempt))"
            case .connectFailed(let error, let attempt, let retryIn):
                "Redis connect attempt \(attempt) failed, next attempt in \(retryIn): \(error)"
            case .disconnected(let error): "Redis connection lost: \(error)"
            }
        }
    }
}
