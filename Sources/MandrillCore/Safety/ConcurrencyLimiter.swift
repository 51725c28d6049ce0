/// `safety.maxConcurrentRestarts`: how many admitted restarts are running at once.
///
/// Sendable: a value; the gate keeps it under its lock.
struct ConcurrencyLimiter: Sendable {
    /// Restarts allowed at once; 0 = unlimited.
    var limit: Int
    /// Restarts admitted and not yet released.
    private(set) var running = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether another restart may start now.
    var hasRoom: Bool { limit <= 0 || running < limit }

    mutating func acquire() {
        running += 1
    }

    mutating func release() {
        running = max(0, running - 1)
    }
}
