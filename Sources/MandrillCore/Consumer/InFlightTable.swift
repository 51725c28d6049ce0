import Synchronization

/// Every delivery in hand, for the lease keeper (one batch per interval), the SIGUSR1 dump
/// and the drain accounting.
///
/// Messages sit in a `SlotArray`, and each message knows its slot: a remove goes straight
/// to it.
public final class InFlightTable: Sendable {
    private let slots = Mutex(SlotArray<InFlightMessage>())
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
        slots.withLock { message.slot.store($0.insert(message), ordering: .relaxed) }
        size.add(1, ordering: .relaxed)
        return message
    }

    func remove(_ message: InFlightMessage) {
        let removed = slots.withLock { slots -> Bool in
            let slot = message.slot.load(ordering: .relaxed)
            guard let held = slots[slot], held === message else { return false }
            message.slot.store(-1, ordering: .relaxed)
            slots.remove(at: slot)
            return true
        }
        if removed { size.subtract(1, ordering: .relaxed) }
    }

    /// Everything in hand, oldest first. The lock is held only to copy the references
    /// (inserts and removes wait on it); the sort runs after.
    public func all() -> [InFlightMessage] {
        slots.withLock { $0.values }.sorted { $0.key < $1.key }
    }

    /// How many deliveries are in hand.
    public var count: Int { size.load(ordering: .relaxed) }

    /// Slots in use or free, and the room the buffer has (for tests of slot reuse and of
    /// the buffer's release).
    var slotCounts: (slots: Int, capacity: Int) { slots.withLock { $0.counts } }
}
