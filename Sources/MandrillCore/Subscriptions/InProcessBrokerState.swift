/// The in-process broker's bookkeeping: backlog, delayed redeliveries and credits (the
/// leases are `InProcessLeases`). Pure logic; `InProcessBroker` holds it in a lock and
/// yields deliveries after unlocking.
struct InProcessBrokerState {
    struct Pending {
        var message: PubSubMessage
        /// Deliveries made so far.
        var deliveries: Int
        var availableAt: StoredInstant
    }

    var backlog = FIFOQueue<Pending>()
    var delayed: [Pending] = []
    var credits = 0
    var intakeOpen = true
    var paused = false
    var publisherWaiters: [CheckedContinuation<Void, Never>] = []
    var published = 0

    /// Hands out as many deliveries as credits and backlog allow, each leased by `lease`
    /// (which returns the delivery's ack id) before it is yielded.
    mutating func dispatch(now: ContinuousClock.Instant, lease: (Pending) -> Delivery.AckID) -> [Delivery] {
        guard canDispatch else { return [] }
        var out: [Delivery] = []
        out.reserveCapacity(min(credits, backlog.count))
        let received = StoredInstant(now)
        while credits > 0, var pending = backlog.popFirst() {
            pending.deliveries += 1
            credits -= 1
            let ackID = lease(pending)
            out.append(Delivery(
                id: pending.message.id, attempt: pending.deliveries, payload: .restart(pending.message),
                received: received, ackID: ackID))
        }
        return out
    }

    /// Whether `dispatch` would hand anything out.
    var canDispatch: Bool { intakeOpen && !paused && credits > 0 && !backlog.isEmpty }

    /// Takes the waiting publishers once the backlog has room again or intake stopped, so
    /// each is resumed exactly once.
    mutating func takePublisherWaiters(maxBacklog: Int) -> [CheckedContinuation<Void, Never>] {
        guard !publisherWaiters.isEmpty, backlog.count < maxBacklog || !intakeOpen else { return [] }
        defer { publisherWaiters.removeAll() }
        return publisherWaiters
    }

    /// Puts expired leases' messages back at the front of the backlog and due
    /// redeliveries at its end.
    mutating func release(expired: [Pending], now: ContinuousClock.Instant) {
        // In front, in the order given (slot order: slots are reused, so not the order
        // they were handed out; Pub/Sub promises no order for redeliveries either).
        backlog.prepend(contentsOf: expired)
        if !delayed.isEmpty {
            let now = StoredInstant(now)
            var waiting: [Pending] = []
            for pending in delayed {
                if pending.availableAt <= now { backlog.append(pending) } else { waiting.append(pending) }
            }
            delayed = waiting
        }
    }
}
