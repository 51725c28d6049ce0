import Synchronization

/// Every delivery in hand, for the lease keeper (one batch per interval), the SIGUSR1 dump
/// and the drain accounting.
public final class InFlightTable: Sendable {
    private let messages = Mutex<[SerialKey: InFlightMessage]>([:])
    private let lastKey = Atomic<UInt64>(0)
    // Read on every insert and remove for the in-flight gauge; kept apart from the lock.
    private let size = Atomic<Int>(0)

    /// An empty table.
    public init() {}

    /// Adds a delivery; its lease runs until `leaseDeadline`.
    func insert(_ delivery: Delivery, now: ContinuousClock.Instant, leaseDeadline: ContinuousClock.Instant) -> InFlightMessage {
        // Keyed and allocated before the lock: the consumer inserts while handlers remove.
        let key = lastKey.wrappingAdd(1, ordering: .relaxed).newValue
        let message = InFlightMessage(delivery: delivery, key: key, now: now, leaseDeadline: leaseDeadline)
        messages.withLock { $0[SerialKey(key)] = message }
        size.add(1, ordering: .relaxed)
        return message
    }

    func remove(_ message: InFlightMessage) {
        let removed = messages.withLock { $0.removeValue(forKey: SerialKey(message.key)) }
        if removed != nil { size.subtract(1, ordering: .relaxed) }
    }

    /// Everything in hand, oldest first.
    public func all() -> [InFlightMessage] {
        messages.withLock { Array($0.values) }.sorted { $0.key < $1.key }
    }

    /// How many deliveries are in hand.
    public var count: Int { size.load(ordering: .relaxed) }
}
