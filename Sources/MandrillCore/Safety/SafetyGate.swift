import Synchronization

/// The safety guards of `safety.*` as the handler's restart gate: allow/deny globs,
/// blackout windows, host cooldown, blast-radius budgets per group, one restart per host
/// at a time, dry run, rate and concurrency limits, and the failure brake.
///
/// Waits (for another restart of the same host, a rate token, a concurrency slot) keep
/// the message in hand, first come first served, and end early with `.interrupted` on
/// lease expiry or cancellation. `reload` swaps the policy for every decision not yet
/// made; messages already waiting decide again under the new policy when they wake.
///
/// Sendable: all mutable state sits in a `Mutex`.
public final class SafetyGate: RestartGate {
    /// What the gate holds right now, for dumps and metrics.
    public struct Status: Sendable, Equatable {
        /// Admitted restarts not yet released (dry runs not counted).
        public var running: Int
        /// Messages waiting for a rate token or a concurrency slot.
        public var waitingToStart: Int
        /// Messages waiting for another message's restart of the same host.
        public var waitingForHost: Int
    }

    private let state: Mutex<SafetyGateState>
    private let store: any StateStore
    private let intake: IntakePause
    private let clock: any MandrillClock
    private let logger: Logger

    /// Creates the gate. `store` supplies each host's last restart for the cooldown;
    /// `intake` is paused when the brake trips. `settings` must have passed validation.
    public init(settings: SafetySettings, store: any StateStore, intake: IntakePause, clock: any MandrillClock, logger: Logger) {
        self.state = Mutex(SafetyGateState(settings, now: clock.now))
        self.store = store
        self.intake = intake
        self.clock = clock
        self.logger = logger
    }

    /// The settings decisions are made with now.
    public var settings: SafetySettings { state.withLock { $0.policy.settings } }

    /// Running and waiting counts.
    public var status: Status {
        state.withLock { state in
            Status(
                running: state.concurrency.running, waitingToStart: state.startQueue.count,
                waitingForHost: state.waiters.values.filter(\.waitsForHost).count)
        }
    }

    /// Decides about one restart attempt, waiting while another restart of the host, the
    /// rate limit or the concurrency limit holds it back.
    public func admit(_ request: RestartRequest, message: InFlightMessage) async -> GateAdmission {
        let id = state.withLock { $0.enter(message, request: request) }
        let arrived = clock.now
        var waitedFor: String?
        while true {
            // Armed before deciding, so a wake-up sent while this decides is not lost.
            message.arm()
            let journalLastRestart = store.lastRestart(of: request.hostname)
            let (now, wallTime) = (clock.now, clock.wallTime)
            let verdict = state.withLock { state in
                let (verdict, wake) = state.evaluate(id, journalLastRestart: journalLastRestart, now: now, wallTime: wallTime)
                Self.signal(wake)
                return verdict
            }
            let result: InFlightMessage.WaitResult
            switch verdict {
            case .decided(let admission):
                if let waitedFor, case .proceed = admission {
                    logger.info("Safety guard delayed the restart.", [
                        "msg_id": request.messageID, "host": request.hostname, "waited_for": waitedFor,
                        "waited_ms": Int(arrived.duration(to: clock.now).seconds * 1000),
                    ])
                }
                return admission
            case .waitForHost(let leader):
                waitedFor = "restart by message \(leader)"
                result = await message.waitForSignal()
            case .waitForStart(let deadline, let reason):
                waitedFor = reason
                result = await waitForSignal(message, orUntil: deadline)
            }
            if result != .finished {
                state.withLock { Self.signal($0.leave(id)) }
                return .interrupted(result)
            }
        }
    }

    /// Ends an admitted restart: frees its concurrency slot, starts the host's cooldown when
    /// it succeeded, and answers the messages waiting for it (`coalesced` on success).
    public func release(_ permit: RestartPermit, outcome: RestartPermit.Outcome) {
        guard !permit.dryRun else { return }
        let wallTime = clock.wallTime
        state.withLock { Self.signal($0.release(permit.host, outcome: outcome, wallTime: wallTime)) }
    }

    /// Counts a message that ended failed (retries exhausted or a permanent error); enough
    /// of them within `brake.windowSeconds`, on any hosts, trip the brake and pause intake
    /// (`IntakePause` logs and records that).
    public func recordFailure(host: String) {
        let now = clock.now
        guard let reason = state.withLock({ $0.brake.recordFailure(now: now) }) else { return }
        intake.tripBrake(reason: reason)
    }

    /// Replaces the policy for every decision not yet made; waiting messages wake and
    /// decide again under it. Counted restarts, tokens and running restarts carry over.
    /// The caller validates `settings` first.
    public func reload(_ settings: SafetySettings) {
        let now = clock.now
        state.withLock { Self.signal($0.reload(settings, now: now)) }
    }

    /// Waits for a signal, or until `deadline` on the clock when one is given.
    private func waitForSignal(_ message: InFlightMessage, orUntil deadline: ContinuousClock.Instant?) async
        -> InFlightMessage.WaitResult
    {
        guard let deadline else { return await message.waitForSignal() }
        // A timer task, not an `async let`: a child resuming its parent's continuation
        // crashed intermittently in Swift 6.3.1 (see README, Development). The timer is
        // cancelled when something else woke the waiter first; a late wake only makes the
        // gate evaluate its guards once more.
        let timer = Task { [clock] in
            if (try? await clock.sleep(until: deadline)) != nil { message.signal() }
        }
        defer { timer.cancel() }
        return await message.waitForSignal()
    }

    // Called with the gate's lock held: a waiter leaves the gate under the same lock, so
    // a message is never signalled after it left, when the signal would cut short the
    // handler's next wait (the restart itself).
    private static func signal(_ messages: [InFlightMessage]) {
        for message in messages { message.signal() }
    }
}
