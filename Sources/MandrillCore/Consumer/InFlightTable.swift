import Synchronization

/// Every delivery in hand, for the lease keeper (one batch per interval), the SIGUSR1 dump
/// and the drain accounting.
public final class InFlightTable: Sendable {
    private struct Contents {
        var messages: [UInt64: InFlightMessage] = [:]
        var nextKey: UInt64 = 0
    }

    private let contents = Mutex(Contents())
    // Read on every insert and remove for the in-flight gauge; kept apart from the lock.
    private let size = Atomic<Int>(0)

    /// An empty table.
    public init() {}

    /// Adds a delivery; its lease runs until `leaseDeadline`.
    func insert(_ delivery: Delivery, now: ContinuousClock.Instant, leaseDeadline: ContinuousClock.Instant) -> InFlightMessage {
        contents.withLock { contents in
            contents.nextKey += 1
            let message = InFlightMessage(delivery: delivery, key: contents.nextKey, now: now, leaseDeadline: leaseDeadline)
            contents.messages[message.key] = message
            size.add(1, ordering: .relaxed)
            return message
        }
    }

    func remove(_ message: InFlightMessage) {
        let removed = contents.withLock { $0.messages.removeValue(forKey: message.key) }
        if removed != nil { size.subtract(1, ordering: .relaxed) }
    }

    /// Everything in hand, oldest first.
    public func all() -> [InFlightMessage] {
        contents.withLock { Array($0.messages.values) }.sorted { $0.key < $1.key }
    }

    /// How many deliveries are in hand.
    public var count: Int { size.load(ordering: .relaxed) }
}
