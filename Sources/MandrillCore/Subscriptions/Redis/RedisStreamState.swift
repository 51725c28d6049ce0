/// The Redis subscription's bookkeeping: credits, entries in hand, and settlements (acks,
/// dead-letters, releases) waiting to be sent. Logic only; `RedisStreamSubscription` holds
/// it in a lock and yields deliveries and wakes loops after unlocking. Sendable.
struct RedisStreamState: Sendable {
    /// An entry handed out and not yet settled.
    struct Held: Sendable {
        var fields: [String]?
    }

    /// What the intake loop may do now.
    enum Reservation: Equatable {
        /// Intake stopped: end the loop.
        case stop
        /// No credits, or paused: wait for a wake-up.
        case wait
        /// This many credits are reserved for one read.
        case reserved(Int)
    }

    var credits = 0
    var intakeOpen = true
    var paused = false
    var groupReady = false
    /// `close()` finished: the connections are gone for good.
    var closed = false
    var held: [String: Held] = [:]
    var queued = RedisSettlements()
    /// Settlements taken by a flush whose replies have not come back yet.
    var sending = 0

    /// Takes every free credit for one read, unless intake is stopped or paused.
    mutating func reserve() -> Reservation {
        guard intakeOpen else { return .stop }
        guard !paused, credits > 0 else { return .wait }
        defer { credits = 0 }
        return .reserved(credits)
    }

    /// Registers entries read against `reserved` credits and returns their deliveries;
    /// unused credits go back. After intake stopped the entries are released at once
    /// (`released` tells the caller to wake the flusher).
    mutating func accept(
        _ entries: [RedisStreamEntry], attempts: [String: Int], reserved: Int, releaseIdle: Duration,
        now: ContinuousClock.Instant
    ) -> (deliveries: [Delivery], released: Bool) {
        var deliveries: [Delivery] = []
        deliveries.reserveCapacity(entries.count)
        for entry in entries where held[entry.id] == nil {
            guard intakeOpen else {
                // Read after stopIntake: never started, so make it claimable by others now.
                queued.releases.append(.init(id: entry.id, idle: releaseIdle))
                continue
            }
            held[entry.id] = Held(fields: entry.fields)
            deliveries.append(Delivery(id: MessageID(entry.id), attempt: attempts[entry.id] ?? 1, payload: entry.payload, receivedAt: now))
        }
        if intakeOpen { credits += max(0, reserved - deliveries.count) }
        return (deliveries, !intakeOpen && !queued.releases.isEmpty)
    }

    /// Queues an acknowledgement; true if the queue was empty (the flusher must be woken).
    mutating func ack(_ id: String) -> Bool {
        held[id] = nil
        defer { queued.acks.append(id) }
        return queued.isEmpty
    }

    /// Queues a release that makes `id` reclaimable once it has been idle `idle` more
    /// than now; true if the queue was empty.
    mutating func release(_ id: String, idle: Duration) -> Bool {
        held[id] = nil
        defer { queued.releases.append(.init(id: id, idle: idle)) }
        return queued.isEmpty
    }

    /// Queues a copy to the dead-letter stream followed by an ack; true if the queue was empty.
    mutating func deadLetter(_ id: String, reason: String, deliveryCount: Int) -> Bool {
        let fields = held.removeValue(forKey: id)?.fields ?? nil
        defer {
            queued.deadLetters.append(RedisDeadLetter(id: id, fields: fields ?? [], reason: reason, deliveryCount: deliveryCount))
        }
        return queued.isEmpty
    }

    /// Takes everything queued, to send it; `sent(_:)` must follow.
    mutating func takeQueued() -> RedisSettlements {
        defer { queued = RedisSettlements() }
        sending += queued.count
        return queued
    }

    /// A flush of `count` settlements taken by `takeQueued()` ended (sent or requeued).
    mutating func sent(_ count: Int) {
        sending -= count
    }

    /// Puts settlements that could not be sent back in front of newer ones.
    mutating func requeue(_ unsent: RedisSettlements) {
        queued.acks = unsent.acks + queued.acks
        queued.deadLetters = unsent.deadLetters + queued.deadLetters
        queued.releases = unsent.releases + queued.releases
    }
}

/// Settlements waiting to be sent to Redis in one pipeline. Sendable.
struct RedisSettlements: Sendable {
    /// An entry to make reclaimable: its idle time is set to `idle`.
    struct Release: Sendable, Equatable {
        var id: String
        var idle: Duration
    }

    var acks: [String] = []
    var deadLetters: [RedisDeadLetter] = []
    var releases: [Release] = []

    var isEmpty: Bool { acks.isEmpty && deadLetters.isEmpty && releases.isEmpty }
    var count: Int { acks.count + deadLetters.count + releases.count }
}
