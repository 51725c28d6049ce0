extension SafetyGateState {
    /// Decides for waiter `id`, the guards in order: coalesced, allow/deny, blackout,
    /// cooldown, group budget, single flight, dry run, then concurrency and rate. A final
    /// verdict takes the waiter out of the gate.
    mutating func evaluate(
        _ id: UInt64, journalLastRestart: Double?, now: ContinuousClock.Instant, wallTime: Double
    ) -> (Verdict, wake: [InFlightMessage]) {
        guard let waiter = waiters[id] else {
            return (.decided(.interrupted(.cancelled)), [])
        }
        let host = waiter.host
        if let leader = coalescedBy[id] {
            return decide(id, .done(outcome: "coalesced", reason: "restarted by message \(leader)"))
        }
        if let refusal = policy.access.refusal(for: host) {
            return decide(id, .done(outcome: "skipped", reason: refusal))
        }
        if let blackout = policy.blackouts.blackout(at: wallTime) {
            return decide(id, .deferred(.seconds(double: blackout.end - wallTime), reason: blackout.reason))
        }
        let lastRestart = [journalLastRestart, lastRestarts[host]].compactMap { $0 }.max()
        if let reason = policy.cooldown(lastRestart: lastRestart, wallTime: wallTime) {
            return decide(id, .done(outcome: "skipped_cooldown", reason: reason))
        }
        if let exhausted = budget.exhaustion(for: host, now: now) {
            return decide(id, .deferred(exhausted.delay, reason: exhausted.reason))
        }
        if let leader = flights.leader(of: host) {
            waiters[id]?.waitsForHost = true
            flights.wait(id, on: host)
            return (.waitForHost(leader), dequeue(id))
        }
        if policy.settings.dryRun {
            return decide(id, .proceed(RestartPermit(host: waiter.hostname, dryRun: true)))
        }
        return start(waiter, id: id, now: now)
    }

    /// Concurrency and rate, first come first served: only the head of the start queue
    /// (or a newcomer when nobody waits) may take a slot and a token.
    private mutating func start(_ waiter: Waiter, id: UInt64, now: ContinuousClock.Instant) -> (Verdict, wake: [InFlightMessage]) {
        if let head = startQueue.first, head != id {
            if !startQueue.contains(id) { startQueue.append(id) }
            return (.waitForStart(deadline: nil, reason: "earlier messages"), [])
        }
        guard concurrency.hasRoom else {
            enqueue(id)
            return (.waitForStart(deadline: nil, reason: "maxConcurrentRestarts \(concurrency.limit)"), [])
        }
        guard bucket.take(now: now) else {
            enqueue(id)
            let rate = Int(policy.settings.maxRestartsPerMinute.rounded(.up))
            return (.waitForStart(deadline: bucket.nextToken(now: now), reason: "maxRestartsPerMinute \(rate)"), [])
        }
        concurrency.acquire()
        budget.record(waiter.host, now: now)
        flights.begin(waiter.host, by: waiter.messageID)
        // Queued messages for the same host now wait for this restart instead of a turn.
        for other in startQueue where other != id && waiters[other]?.host == waiter.host {
            startQueue.removeAll { $0 == other }
            waiters[other]?.waitsForHost = true
            flights.wait(other, on: waiter.host)
        }
        return decide(id, .proceed(RestartPermit(host: waiter.hostname)))
    }

    private mutating func enqueue(_ id: UInt64) {
        if !startQueue.contains(id) { startQueue.append(id) }
    }

    private mutating func decide(_ id: UInt64, _ admission: GateAdmission) -> (Verdict, wake: [InFlightMessage]) {
        (.decided(admission), leave(id))
    }
}
