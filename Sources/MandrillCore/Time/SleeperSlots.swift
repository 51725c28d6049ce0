/// A `SleepQueue`'s sleepers in a `SlotArray`, each sleep holding a ticket (its slot and a
/// serial number no other sleep gets): a wake-up or a cancellation goes straight to the
/// slot, and the timer wakes a burst's sleepers walking the slots in order.
///
/// A ticket outlives its slot's use: a cancellation handler may run after its sleeper woke
/// and the slot went to another sleep. The serial tells them apart.
///
/// Pure bookkeeping, generic over what waits (a continuation in `SleepQueue`, plain values
/// in tests); the queue's lock guards it.
struct SleeperSlots<Waiter: Sendable>: Sendable {
    /// One sleep's claim on a slot.
    struct Ticket: Equatable, Sendable {
        let slot: Int
        let serial: UInt64
    }

    private struct Sleeper: Sendable {
        let serial: UInt64
        var waiter: Waiter?
        /// Cancelled before its waiter arrived.
        var cancelled = false
    }

    private var slots = SlotArray<Sleeper>()
    private var lastSerial: UInt64 = 0
    /// Sleepers with a waiter in place: not yet woken or cancelled.
    private(set) var waiting = 0

    /// Slots taken (reserved or waiting) and the room the buffer has, for tests.
    var counts: (taken: Int, capacity: Int) { (slots.count, slots.counts.capacity) }

    /// Takes a slot for a sleep that is about to wait.
    mutating func reserve() -> Ticket {
        lastSerial += 1
        return Ticket(slot: slots.insert(Sleeper(serial: lastSerial)), serial: lastSerial)
    }

    /// Puts the waiter in its slot; false (the slot freed) when the sleep was cancelled
    /// before it arrived: the caller ends it at once.
    mutating func wait(_ ticket: Ticket, _ waiter: Waiter) -> Bool {
        precondition(holds(ticket), "a sleep waits once, on its own ticket")
        if slots[ticket.slot]?.cancelled == true {
            slots.remove(at: ticket.slot)
            return false
        }
        slots.modify(ticket.slot) { $0.waiter = waiter }
        waiting += 1
        return true
    }

    /// The deadline came: takes the waiter to wake, or nil when the sleep already ended
    /// (cancelled).
    mutating func wake(_ ticket: Ticket) -> Waiter? {
        takeWaiter(ticket)
    }

    /// The sleep was cancelled: takes the waiter to end with an error; nil when it already
    /// ended, or when it has not started waiting (then `wait` refuses it).
    mutating func cancel(_ ticket: Ticket) -> Waiter? {
        guard holds(ticket) else { return nil }
        guard slots[ticket.slot]?.waiter != nil else {
            slots.modify(ticket.slot) { $0.cancelled = true }
            return nil
        }
        return takeWaiter(ticket)
    }

    /// Whether the ticket's sleeper is still waiting (its heap entry is live).
    func isWaiting(_ ticket: Ticket) -> Bool {
        guard let sleeper = slots[ticket.slot] else { return false }
        return sleeper.serial == ticket.serial && sleeper.waiter != nil
    }

    private func holds(_ ticket: Ticket) -> Bool {
        slots[ticket.slot]?.serial == ticket.serial
    }

    private mutating func takeWaiter(_ ticket: Ticket) -> Waiter? {
        guard isWaiting(ticket), let waiter = slots.remove(at: ticket.slot)?.waiter else { return nil }
        waiting -= 1
        return waiter
    }
}
