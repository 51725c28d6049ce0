/// Everything the safety gate decides with, kept under one lock so that each decision
/// sees and changes all guards at once. Its methods return the messages to wake; the
/// gate signals them.
///
/// Sendable: a value; `SafetyGate` keeps it in a `Mutex`.
struct SafetyGateState: Sendable {
    /// A message inside `admit`.
    struct Waiter: Sendable {
        let message: InFlightMessage
        let messageID: MessageID
        /// Hostname as requested.
        let hostname: String
        /// Lowercased hostname, the key for single flight and cooldown.
        let host: String
        /// Whether it waits in the host's single flight (else it waits to start, or not at all).
        var waitsForHost = false
    }

    /// What a waiter does next.
    enum Verdict: Sendable {
        /// The gate's final answer.
        case decided(GateAdmission)
        /// Wait for the restart of the same host by another message.
        case waitForHost(MessageID)
        /// Wait for a turn to start; wake at `deadline` (the next rate token) if given.
        case waitForStart(deadline: ContinuousClock.Instant?, reason: String)
    }

    var policy: SafetyPolicy
    var bucket: TokenBucket
    var concurrency: ConcurrencyLimiter
    var budget: GroupBudget
    var brake: FailureBrake
    var flights = HostSingleFlight()
    /// Waiter ids waiting to start, first come first served.
    var startQueue: [UInt64] = []
    var waiters: [UInt64: Waiter] = [:]
    /// Waiters whose host was restarted by another message while they waited.
    var coalescedBy: [UInt64: MessageID] = [:]
    /// Successful restarts released through the gate (lowercased host → epoch seconds).
    var lastRestarts: [String: Double] = [:]
    private var nextWaiterID: UInt64 = 0

    init(_ settings: SafetySettings, now: ContinuousClock.Instant) {
        policy = SafetyPolicy(settings)
        bucket = TokenBucket(perMinute: settings.maxRestartsPerMinute, now: now)
        concurrency = ConcurrencyLimiter(limit: settings.maxConcurrentRestarts)
        budget = GroupBudget(settings.groups)
        brake = FailureBrake(settings.brake)
    }

    /// Enters a message into `admit`; returns its waiter id.
    mutating func enter(_ message: InFlightMessage, request: RestartRequest) -> UInt64 {
        nextWaiterID += 1
        waiters[nextWaiterID] = Waiter(
            message: message, messageID: request.messageID, hostname: request.hostname, host: request.hostname.lowercased())
        return nextWaiterID
    }

    /// Takes a waiter out of every queue; returns who to wake (a new head of the queue).
    mutating func leave(_ id: UInt64) -> [InFlightMessage] {
        guard let waiter = waiters.removeValue(forKey: id) else { return [] }
        coalescedBy[id] = nil
        if waiter.waitsForHost { flights.stopWaiting(id, on: waiter.host) }
        return dequeue(id)
    }

    /// Removes `id` from the start queue; wakes the new head when `id` was the head.
    mutating func dequeue(_ id: UInt64) -> [InFlightMessage] {
        guard let index = startQueue.firstIndex(of: id) else { return [] }
        startQueue.remove(at: index)
        return index == 0 ? head() : []
    }

    /// The head of the start queue, to wake.
    func head() -> [InFlightMessage] {
        startQueue.first.flatMap { waiters[$0]?.message }.map { [$0] } ?? []
    }

    /// Ends an admitted restart of `host`; returns who to wake.
    mutating func release(_ host: String, outcome: RestartPermit.Outcome, wallTime: Double) -> [InFlightMessage] {
        guard let flight = flights.end(host.lowercased()) else { return [] }
        concurrency.release()
        var wake = head()
        if outcome == .succeeded {
            lastRestarts[host.lowercased()] = wallTime
            forgetOldRestarts(wallTime: wallTime)
        }
        for id in flight.waiters {
            guard let waiter = waiters[id] else { continue }
            waiters[id]?.waitsForHost = false
            if outcome == .succeeded { coalescedBy[id] = flight.messageID }
            wake.append(waiter.message)
        }
        return wake
    }

    /// Adopts new settings; every waiter wakes to decide again under them.
    mutating func reload(_ settings: SafetySettings, now: ContinuousClock.Instant) -> [InFlightMessage] {
        policy = SafetyPolicy(settings)
        bucket.reconfigure(perMinute: settings.maxRestartsPerMinute, now: now)
        concurrency.limit = settings.maxConcurrentRestarts
        budget.reconfigure(settings.groups)
        brake.reconfigure(settings.brake)
        return waiters.values.map(\.message)
    }

    private mutating func forgetOldRestarts(wallTime: Double) {
        // Only the cooldown reads these, so older entries are dead weight.
        guard lastRestarts.count > 4096 else { return }
        let cooldown = policy.settings.hostCooldownSeconds
        lastRestarts = lastRestarts.filter { wallTime - $0.value < cooldown }
    }
}
