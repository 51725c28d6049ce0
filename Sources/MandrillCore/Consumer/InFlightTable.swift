import Synchronization

/// Every delivery in hand, for the lease keeper (one batch per interval), the SIGUSR1 dump
/// and the drain accounting.
///
/// Messages sit in numbered slots, and each message knows its own: removing one clears
/// its slot and lists it for reuse, with no hashing and one cache line touched. (A
/// dictionary by key touched three scattered lines per insert and per remove, and
/// rehashed 100,000 entries as it grew, in mandrill-bench `inflight`.)
public final class InFlightTable: Sendable {
    private struct Slots {
        var messages: [InFlightMessage?] = []
        /// Empty slots below `messages.count`, reused last-freed first.
        var free: [Int] = []

        var isEmpty: Bool { free.count == messages.count }
    }

    /// A table that held more than this gives its buffers back when it empties.
    static let keptCapacity = 4_096

    private let slots = Mutex(Slots())
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
        slots.withLock { slots in
            let slot: Int
            if let reused = slots.free.popLast() {
                slot = reused
                slots.messages[slot] = message
            } else {
                slot = slots.messages.count
                slots.messages.append(message)
            }
            message.slot.store(slot, ordering: .relaxed)
        }
        size.add(1, ordering: .relaxed)
        return message
    }

    func remove(_ message: InFlightMessage) {
        let removed = slots.withLock { slots -> Bool in
            let slot = message.slot.load(ordering: .relaxed)
            guard slot >= 0, slot < slots.messages.count, slots.messages[slot] === message else { return false }
            message.slot.store(-1, ordering: .relaxed)
            slots.messages[slot] = nil
            slots.free.append(slot)
            if slots.isEmpty {
                // A burst's buffers go back; a small table keeps them for the next messages.
                let keep = slots.messages.count <= Self.keptCapacity
                slots.messages.removeAll(keepingCapacity: keep)
                slots.free.removeAll(keepingCapacity: keep)
            }
            return true
        }
        if removed { size.subtract(1, ordering: .relaxed) }
    }

    /// Everything in hand, oldest first.
    public func all() -> [InFlightMessage] {
        slots.withLock { $0.messages.compactMap { $0 } }.sorted { $0.key < $1.key }
    }

    /// How many deliveries are in hand.
    public var count: Int { size.load(ordering: .relaxed) }

    /// Slots in use or free, and the room the buffer has (for tests of slot reuse and of
    /// the buffer's release).
    var slotCounts: (slots: Int, capacity: Int) { slots.withLock { ($0.messages.count, $0.messages.capacity) } }
}
