/// A `SleepQueue`'s sleepers in numbered slots, each sleep holding a ticket (its slot and
/// a serial number no other sleep gets): a wake-up or a cancellation goes straight to the
/// slot, with no hashing. Slots are handed out last-freed first and appended in arrival
/// order during a burst, so the timer wakes a burst's sleepers walking the slots in order
/// (a dictionary by id touched scattered cache lines per insert and per remove, and
/// rehashed as it grew: mandrill-bench `inflight`, 100,000 sleepers).
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

    private struct Slot: Sendable {
        /// The ticket's serial while the slot is taken; 0 when free.
        var serial: UInt64 = 0
        var waiter: Waiter?
        /// Cancelled before its waiter arrived.
        var cancelled = false
    }

    /// Slots a burst left behind are given back once all are free again, beyond this many.
    static var keptCapacity: Int { 4_096 }

    private var slots: [Slot] = []
    /// Free slots below `slots.count`.
    private var free: [Int] = []
    private var lastSerial: UInt64 = 0
    /// Sleepers with a waiter in place: not yet woken, cancelled or reserved only.
    private(set) var waiting = 0

    /// Slots taken (reserved or waiting) and the room the buffer has, for tests.
    var counts: (taken: Int, capacity: Int) { (slots.count - free.count, slots.capacity) }

    /// Takes a slot for a sleep that is about to wait.
    mutating func reserve() -> Ticket {
        lastSerial += 1
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = slots.count
            slots.append(Slot())
        }
        slots[slot].serial = lastSerial
        return Ticket(slot: slot, serial: lastSerial)
    }

    /// Puts the waiter in its slot; false (the slot freed) when the sleep was cancelled
    /// before it arrived: the caller ends it at once.
    mutating func wait(_ ticket: Ticket, _ waiter: Waiter) -> Bool {
        precondition(holds(ticket), "a sleep waits once, on its own ticket")
        if slots[ticket.slot].cancelled {
            release(ticket.slot)
            return false
        }
        slots[ticket.slot].waiter = waiter
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
        guard slots[ticket.slot].waiter != nil else {
            slots[ticket.slot].cancelled = true
            return nil
        }
        return takeWaiter(ticket)
    }

    /// Whether the ticket's sleeper is still waiting (its heap entry is live).
    func isWaiting(_ ticket: Ticket) -> Bool {
        holds(ticket) && slots[ticket.slot].waiter != nil
    }

    private func holds(_ ticket: Ticket) -> Bool {
        ticket.slot < slots.count && slots[ticket.slot].serial == ticket.serial
    }

    private mutating func takeWaiter(_ ticket: Ticket) -> Waiter? {
        guard holds(ticket), let waiter = slots[ticket.slot].waiter else { return nil }
        waiting -= 1
        release(ticket.slot)
        return waiter
    }

    private mutating func release(_ slot: Int) {
        slots[slot] = Slot()
        free.append(slot)
        if free.count == slots.count {
            // A burst's buffers go back; a small table keeps them for the next sleepers.
            // Stale tickets stay harmless: serials are never reused.
            let keep = slots.count <= Self.keptCapacity
            slots.removeAll(keepingCapacity: keep)
            free.removeAll(keepingCapacity: keep)
        }
    }
}

