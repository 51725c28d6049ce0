/// The in-process broker's deliveries in hand: one lease per message id, and what became
/// of settled ones. Kept apart from the backlog (`InProcessBrokerState`) under its own
/// lock, so acks — one per message — never wait for a publish or a dispatch in progress.
///
/// Pure logic; `InProcessBroker` holds it in a lock. When both locks are needed the
/// backlog's is taken first.
struct InProcessLeases {
    struct Lease {
        var pending: InProcessBrokerState.Pending
        var deadline: StoredInstant
    }

    var outstanding: [MessageID: Lease] = [:]
    /// No lease ends before this; a scan is due only once `now` passes it.
    var earliestDeadline: StoredInstant?
    var acked = 0
    var deadLettered: [(MessageID, String)] = []
    var expired = 0

    /// Leases every delivery in `pending` until `deadline`; room is made at once for
    /// `expecting` more (the credits left), so the table grows once, not by doubling as a
    /// large in-flight limit fills.
    mutating func grant(
        _ pending: [InProcessBrokerState.Pending], until deadline: ContinuousClock.Instant, expecting: Int = 0
    ) {
        guard !pending.isEmpty else { return }
        let deadline = StoredInstant(deadline)
        outstanding.reserveCapacity(outstanding.count + pending.count + expecting)
        for delivery in pending { outstanding[delivery.message.id] = Lease(pending: delivery, deadline: deadline) }
        if earliestDeadline == nil || deadline < earliestDeadline! { earliestDeadline = deadline }
    }

    /// Removes a delivery's lease if it is still the current one.
    mutating func settle(_ delivery: Delivery) -> InProcessBrokerState.Pending? {
        // One lookup: removing first and putting back a stale settle (rare) beats a lookup
        // followed by a removal on every ack.
        guard let lease = outstanding.removeValue(forKey: delivery.id) else { return nil }
        guard lease.pending.deliveries == delivery.attempt else {
            outstanding[delivery.id] = lease
            return nil
        }
        return lease.pending
    }

    /// Moves the current deliveries' leases to `deadline`.
    mutating func extend(_ deliveries: [Delivery], to deadline: ContinuousClock.Instant) {
        let deadline = StoredInstant(deadline)
        for delivery in deliveries {
            guard var lease = outstanding[delivery.id], lease.pending.deliveries == delivery.attempt else { continue }
            lease.deadline = deadline
            outstanding[delivery.id] = lease
        }
    }

    /// Ends the leases due by `now` and returns their messages for redelivery.
    mutating func expire(now: ContinuousClock.Instant) -> [InProcessBrokerState.Pending] {
        let now = StoredInstant(now)
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var ended: [InProcessBrokerState.Pending] = []
        var nextEarliest: StoredInstant?
        for (id, lease) in outstanding {
            if lease.deadline <= now {
                outstanding[id] = nil
                expired += 1
                ended.append(lease.pending)
            } else if nextEarliest == nil || lease.deadline < nextEarliest! {
                nextEarliest = lease.deadline
            }
        }
        earliestDeadline = nextEarliest
        return ended
    }
}
