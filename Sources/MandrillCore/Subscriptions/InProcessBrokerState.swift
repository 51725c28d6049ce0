/// The in-process broker's bookkeeping: backlog, delayed redeliveries, leases and
/// credits. Pure logic; `InProcessBroker` holds it in a lock and yields deliveries after
/// unlocking.
struct InProcessBrokerState {
    struct Pending {
        var message: PubSubMessage
        /// Deliveries made so far.
        var deliveries: Int
        var availableAt: ContinuousClock.Instant
    }

    struct Lease {
        var pending: Pending
        var deadline: ContinuousClock.Instant
    }

    var backlog = FIFOQueue<Pending>()
    var delayed: [Pending] = []
    var outstanding: [MessageID: Lease] = [:]
    var credits = 0
    var intakeOpen = true
    var paused = false
    /// No lease ends before this; a scan is due only once `now` passes it.
    var earliestDeadline: ContinuousClock.Instant?
    var publisherWaiters: [CheckedContinuation<Void, Never>] = []
    var published = 0
    var acked = 0
    var deadLettered: [(MessageID, String)] = []
    var expired = 0

    /// Hands out as many deliveries as credits and backlog allow.
    mutating func dispatch(now: ContinuousClock.Instant, ackDeadline: Duration) -> [Delivery] {
        guard intakeOpen, !paused, credits > 0, !backlog.isEmpty else { return [] }
        var out: [Delivery] = []
        out.reserveCapacity(min(credits, backlog.count))
        let deadline = now.advanced(by: ackDeadline)
        while credits > 0, var pending = backlog.popFirst() {
            pending.deliveries += 1
            outstanding[pending.message.id] = Lease(pending: pending, deadline: deadline)
            credits -= 1
            out.append(Delivery(id: pending.message.id, attempt: pending.deliveries, payload: .restart(pending.message), receivedAt: now))
        }
        if earliestDeadline == nil || deadline < earliestDeadline! { earliestDeadline = deadline }
        return out
    }

    /// Takes the waiting publishers once the backlog has room again or intake stopped, so
    /// each is resumed exactly once.
    mutating func takePublisherWaiters(maxBacklog: Int) -> [CheckedContinuation<Void, Never>] {
        guard !publisherWaiters.isEmpty, backlog.count < maxBacklog || !intakeOpen else { return [] }
        defer { publisherWaiters.removeAll() }
        return publisherWaiters
    }

    /// Removes a delivery's lease if it is still the current one.
    mutating func settle(_ delivery: Delivery) -> Pending? {
        guard let lease = outstanding[delivery.id], lease.pending.deliveries == delivery.attempt else { return nil }
        outstanding[delivery.id] = nil
        return lease.pending
    }

    /// Moves expired leases back to the front of the backlog and due redeliveries to its end.
    mutating func expireAndRelease(now: ContinuousClock.Instant) {
        if let earliest = earliestDeadline, earliest <= now {
            var nextEarliest: ContinuousClock.Instant?
            for (id, lease) in outstanding {
                if lease.deadline <= now {
                    outstanding[id] = nil
                    expired += 1
                    backlog.prepend(lease.pending)
                } else if nextEarliest == nil || lease.deadline < nextEarliest! {
                    nextEarliest = lease.deadline
                }
            }
            earliestDeadline = nextEarliest
        }
        if !delayed.isEmpty {
            var waiting: [Pending] = []
            for pending in delayed {
                if pending.availableAt <= now { backlog.append(pending) } else { waiting.append(pending) }
            }
            delayed = waiting
        }
    }
}
