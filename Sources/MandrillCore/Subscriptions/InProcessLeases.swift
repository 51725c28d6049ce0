/// The in-process broker's deliveries in hand: one lease per delivery, in a `SlotArray`
/// whose slot travels with the delivery (in `Delivery.ackID`, with the grant's serial),
/// so an ack goes straight to its lease; and what became of settled ones. Kept apart from the
/// backlog (`InProcessBrokerState`) under its own lock, so acks — one per message — never
/// wait for a publish. A dispatch holds this lock while it leases its batch (once for the
/// batch, at most the credits in hand), so an ack can wait for that.
///
/// Pure logic; `InProcessBroker` holds it in a lock. When both locks are needed the
/// backlog's is taken first.
struct InProcessLeases {
    struct Lease {
        var pending: InProcessBrokerState.Pending
        var deadline: StoredInstant
        /// The grant's serial, in its delivery's ack id.
        let serial: UInt64
    }

    private var leases = SlotArray<Lease>()
    private var lastSerial: UInt64 = 0
    /// No lease ends before this; a scan is due only once `now` passes it.
    var earliestDeadline: StoredInstant?
    var acked = 0
    /// Dead-lettered deliveries, counted only: each one's reason is in the state journal
    /// and the log, and a list kept here grew for as long as the embedded daemon ran.
    var deadLettered = 0
    var expired = 0

    /// Deliveries in hand.
    var outstanding: Int { leases.count }

    /// Leases `pending` until `deadline`; returns the delivery's ack id.
    mutating func grant(_ pending: InProcessBrokerState.Pending, until deadline: StoredInstant) -> Delivery.AckID {
        if earliestDeadline == nil || deadline < earliestDeadline! { earliestDeadline = deadline }
        lastSerial += 1
        let slot = leases.insert(Lease(pending: pending, deadline: deadline, serial: lastSerial))
        return Delivery.AckID(slot: slot, serial: lastSerial)
    }

    /// Removes a delivery's lease if it is still the current one: a delivery whose lease
    /// expired (its message since redelivered, perhaps into the same slot) settles nothing.
    mutating func settle(_ delivery: Delivery) -> InProcessBrokerState.Pending? {
        guard isCurrent(delivery) else { return nil }
        return leases.remove(at: delivery.ackID.slot)?.pending
    }

    /// Moves the current deliveries' leases to `deadline`.
    mutating func extend(_ deliveries: [Delivery], to deadline: ContinuousClock.Instant) {
        let deadline = StoredInstant(deadline)
        for delivery in deliveries where isCurrent(delivery) {
            leases.modify(delivery.ackID.slot) { $0.deadline = deadline }
        }
    }

    /// Ends the leases due by `now` and returns their messages for redelivery.
    mutating func expire(now: ContinuousClock.Instant) -> [InProcessBrokerState.Pending] {
        let now = StoredInstant(now)
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var ended: [InProcessBrokerState.Pending] = []
        var nextEarliest: StoredInstant?
        // Slot by slot, reading each deadline in place: no copy of every lease per scan.
        for slot in 0..<leases.counts.slots {
            guard let deadline = leases.read(slot, { $0.deadline }) else { continue }
            if deadline <= now {
                if let lease = leases.remove(at: slot) { ended.append(lease.pending) }
                expired += 1
            } else if nextEarliest == nil || deadline < nextEarliest! {
                nextEarliest = deadline
            }
        }
        earliestDeadline = nextEarliest
        return ended
    }

    private func isCurrent(_ delivery: Delivery) -> Bool {
        leases.read(delivery.ackID.slot) { $0.serial == delivery.ackID.serial } ?? false
    }
}
