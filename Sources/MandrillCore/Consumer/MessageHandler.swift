import Synchronization

/// Handles one delivery from receipt to final outcome: records it, deduplicates, asks
/// the restart gate, restarts the host while saving the started record (concurrently),
/// retries retryable failures with backoff, and acks, nacks or dead-letters — always
/// after the outcome record is durable. It never throws: every error ends as an outcome.
public final class MessageHandler: Sendable {
    /// Retry and idempotency settings.
    public struct Settings: Sendable {
        /// Retries, nack delay, dead-lettering.
        public var retry: RetryPolicy
        /// What to do with a redelivered in-doubt message.
        public var inDoubt: StateSettings.InDoubtAction
        /// Tries at saving a record before the message is given back unrecorded.
        public var saveAttempts: Int

        /// Creates settings.
        public init(retry: RetryPolicy, inDoubt: StateSettings.InDoubtAction = .restart, saveAttempts: Int = 5) {
            self.retry = retry
            self.inDoubt = inDoubt
            self.saveAttempts = saveAttempts
        }
    }

    let subscription: any Subscription
    let restarter: any HostRestarter
    let store: any StateStore
    let gate: any RestartGate
    let settings: Settings
    let clock: any MandrillClock
    let logger: Logger
    let observer: any ConsumerObserver
    private let random: RandomSource

    /// Creates a handler.
    public init(
        subscription: any Subscription, restarter: any HostRestarter, store: any StateStore,
        gate: any RestartGate = OpenGate(), settings: Settings, clock: any MandrillClock, logger: Logger,
        observer: any ConsumerObserver = NoConsumerObserver(), seed: UInt64 = 0
    ) {
        self.subscription = subscription
        self.restarter = restarter
        self.store = store
        self.gate = gate
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.random = RandomSource(seed: seed)
    }

    /// Brings one delivery to its final outcome. Lease expiry cancels the work in any
    /// stage; the message is then nacked (`lease_expired`).
    @inline(__always)
    public func handle(_ message: InFlightMessage) async -> FinalOutcome {
        // Kept small on purpose, like every frame that lives while a restart runs: each
        // in-flight message holds these frames, and the whole chain (this frame, the
        // restarter's, the clock's and the sleep's) fits one 984-byte slab of the task
        // allocator: one malloc per message in flight instead of two (mandrill-bench
        // `inflight`: 3,340 → 2,450 bytes per message). So:
        // - the checks and the rare branches run in synchronous or `@inline(never)`
        //   helpers whose locals do not live here;
        // - this, `restartWithRetries` and `restartAndSave` are inlined into the
        //   consumer's child task as one frame;
        // - the enums kept here (`Intake`, `RestartStep`, `GateAdmission`, `Settlement`)
        //   box their rare, large payloads, and no optional of a large struct is kept: each
        //   is a slot of its own in the frame;
        // - no `ContinuousClock.Instant`: a resilient type, each is its own task allocation.
        message.cancelOnLeaseExpiry()
        defer { message.handlerFinished() }
        switch intake(message) {
        case .restart:
            return await restartWithRetries(message, request: restartRequest(for: message))
        case .settle(let settlement):
            return await settleAtIntake(message, settlement)
        case .unrecorded(let outcome):
            return outcome
        }
    }

    /// What to do with a delivery before any restart. Small, so that `handle`'s frame
    /// keeps little room for it: `.restart` carries no request, and `Settlement` boxes its
    /// one large case.
    private enum Intake {
        /// Restart it (the request is built from the delivery: `restartRequest(for:)`).
        case restart
        case settle(Settlement)
        case unrecorded(FinalOutcome)
    }

    /// The restart a delivery that `intake` passed on asks for. (Not an optional: each
    /// `RestartRequest?` would be a slot in `handle`'s frame.)
    @inline(never)
    private func restartRequest(for message: InFlightMessage) -> RestartRequest {
        let delivery = message.delivery
        guard case .restart(let pubsub) = delivery.payload else {
            preconditionFailure("intake settles every delivery that is not a restart request")
        }
        return RestartRequest(
            messageID: delivery.id, hostname: pubsub.hostname, instanceName: pubsub.instanceName, attempt: delivery.attempt)
    }

    /// Settles a delivery that `intake` decided needs no restart (in its own frame, which
    /// exists only while it runs).
    @inline(never)
    private func settleAtIntake(_ message: InFlightMessage, _ settlement: Settlement) async -> FinalOutcome {
        await finish(message, settlement)
    }

    /// Records the delivery and decides whether it needs a restart: malformed payloads,
    /// duplicates, in-doubt messages (by `state.inDoubt`) and deliveries past
    /// `maxDeliveries` are settled without one.
    @inline(never)
    private func intake(_ message: InFlightMessage) -> Intake {
        let delivery = message.delivery
        observer.received()
        // Written behind: the outcome's durable append, always before the ack, covers it.
        guard saveBehind(record(.received, message)) else {
            subscription.nack(delivery, delay: settings.retry.nackDelay)
            return .unrecorded(finished(message, .nacked("state_unavailable")))
        }
        logger.info("Pulled message.", ["msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt])

        guard case .restart = delivery.payload else {
            if case .malformed(let reason) = delivery.payload { return .settle(.deadLetter("malformed: \(reason)")) }
            return .settle(.deadLetter("malformed"))
        }
        if store.isFinished(delivery.id) { return .settle(.ack("duplicate")) }
        if store.isInDoubt(delivery.id) {
            logger.warning("Redelivered message was in doubt after a crash.", [
                "msg_id": delivery.id, "host": delivery.hostname, "in_doubt": settings.inDoubt.rawValue,
            ])
            if settings.inDoubt == .skip { return .settle(.ack("skipped_in_doubt")) }
        }
        if delivery.attempt > settings.retry.maxDeliveries {
            return .settle(.deadLetter("max_deliveries: delivered \(delivery.attempt) times"))
        }
        return .restart
    }

    @inline(__always)
    private func restartWithRetries(_ message: InFlightMessage, request: RestartRequest) async -> FinalOutcome {
        // Kept small on purpose (see `handle`): the branches after the restart run in their
        // own `@inline(never)` functions whose frames exist only while they run.
        var attempt = 1
        while true {
            enter(message, .waiting, attempt: attempt)
            let admission = await gate.admit(request, message: message)
            guard case .proceed(let permit) = admission else {
                return await finishWithoutRestart(message, request: request, admission)
            }
            let step = await restartAndSave(
                message, request: request, attempt: attempt, saveStarted: attempt == 1, dryRun: permit.dryRun)
            gate.release(permit, outcome: step.gateOutcome)
            // The common case skips `settle`'s frame: the chain of frames while the outcome
            // is saved then fits the task's one slab too.
            if case .succeeded(let duration) = step {
                return await finishRestarted(message, request: request, dryRun: permit.dryRun, attempt: attempt, duration: duration)
            }
            if let outcome = await settle(after: step, message, request: request, attempt: attempt, dryRun: permit.dryRun) {
                return outcome
            }
            attempt += 1
        }
    }

    /// The outcome after a restart attempt, or nil (after the backoff) to try again.
    /// `restartWithRetries` sends successes straight to `finishRestarted`; the case stays
    /// here so that this switch is right for every step on its own.
    @inline(never)
    private func settle(
        after step: RestartStep, _ message: InFlightMessage, request: RestartRequest, attempt: Int, dryRun: Bool
    ) async -> FinalOutcome? {
        switch step {
        case .succeeded(let duration):
            return await finishRestarted(message, request: request, dryRun: dryRun, attempt: attempt, duration: duration)
        case .failed(let error, let duration):
            return await afterFailure(message, request: request, attempt: attempt, error: error, duration: duration)
        case .leaseExpired:
            return await finish(message, .nack("lease_expired"))
        case .cancelled:
            return await finish(message, .abandon("restart"))
        case .unsaved:
            return await finish(message, .nack("state_unavailable"))
        }
    }

    @inline(never)
    private func finishRestarted(
        _ message: InFlightMessage, request: RestartRequest, dryRun: Bool, attempt: Int, duration: Duration
    ) async -> FinalOutcome {
        // The records are built (and the line logged) in a synchronous helper, so that
        // this frame, alive while the outcome is saved, holds little more than the array.
        let done = restartedRecords(message, request: request, dryRun: dryRun, attempt: attempt, duration: duration)
        return await finish(message, .ack(dryRun ? "dry_run" : "restarted"), extra: done)
    }

    /// Logs a finished restart and returns its record, with room for the final one.
    @inline(never)
    private func restartedRecords(
        _ message: InFlightMessage, request: RestartRequest, dryRun: Bool, attempt: Int, duration: Duration
    ) -> [StateRecord] {
        let delivery = message.delivery
        logger.info(dryRun ? "Dry run: would have restarted host." : "Restarted host.", [
            "msg_id": delivery.id, "host": request.hostname, "attempt": delivery.attempt, "try": attempt,
            "stage": "restart", "duration_ms": Int(duration.seconds * 1000),
        ])
        // A dry run records a decision, not a restart, so it consumes no cooldown.
        return beforeFinal(dryRun
            ? decision(message, "dry_run", "safety.dryRun: the restarter was not called")
            : record(.restartSucceeded, message, attempt: attempt, duration: duration))
    }

    /// Settles a failed attempt, or returns nil after the backoff when another attempt is due.
    @inline(never)
    private func afterFailure(
        _ message: InFlightMessage, request: RestartRequest, attempt: Int, error: RestartError, duration: Duration
    ) async -> FinalOutcome? {
        let delivery = message.delivery
        let failure = record(.restartFailed, message, attempt: attempt, detail: error.description, duration: duration)
        if error.kind == .permanent {
            gate.recordFailure(host: request.hostname)
            return await finish(message, .deadLetter("permanent: \(error.reason)"), extra: beforeFinal(failure), error: error)
        }
        if attempt < settings.retry.maxAttempts {
            guard await appendDurably([failure]) else {
                return await finish(message, .nack("state_unavailable"))
            }
            let pause = random.withGenerator { settings.retry.backoff(after: attempt, random: &$0) }
            logger.warning("Restart failed; retrying.", [
                "msg_id": delivery.id, "host": request.hostname, "attempt": delivery.attempt, "try": attempt,
                "stage": "restart", "error": error.description, "backoff_ms": Int(pause.seconds * 1000),
                "output": error.outputTail,
            ])
            switch await backoff(message, for: pause) {
            case .finished: return nil
            case .leaseExpired: return await finish(message, .nack("lease_expired"))
            case .cancelled: return await finish(message, .abandon("backoff"))
            }
        }
        gate.recordFailure(host: request.hostname)
        if settings.retry.isFinalDelivery(delivery.attempt) {
            return await finish(message, .deadLetter("retries_exhausted: \(error.reason)"), extra: beforeFinal(failure), error: error)
        }
        return await finish(message, .nack("restart_failed"), extra: beforeFinal(failure), error: error)
    }

    @inline(never)
    private func finishWithoutRestart(
        _ message: InFlightMessage, request: RestartRequest, _ admission: GateAdmission
    ) async -> FinalOutcome {
        let delivery = message.delivery
        switch admission {
        case .proceed:
            preconditionFailure("admitted attempts are restarted")
        case .done(let outcome, let reason):
            logger.info("Safety guard decided without restarting.", [
                "msg_id": delivery.id, "host": request.hostname, "outcome": outcome, "reason": reason,
            ])
            return await finish(message, .ack(outcome), extra: beforeFinal(decision(message, outcome, reason)))
        case .deferred(let delay, let reason):
            logger.info("Safety guard deferred the message.", [
                "msg_id": delivery.id, "host": request.hostname, "reason": reason,
                "delay_s": Int(delay.seconds.rounded(.up)),
            ])
            return await finish(message, .nack("deferred", delay: delay), extra: beforeFinal(decision(message, "deferred", reason)))
        case .interrupted(let why):
            return await finish(message, why == .leaseExpired ? .nack("lease_expired") : .abandon("waiting"))
        }
    }

    /// Sleeps `pause`, interruptible by lease expiry and cancellation.
    @inline(never)
    private func backoff(_ message: InFlightMessage, for pause: Duration) async -> InFlightMessage.WaitResult {
        enter(message, .backoff)
        do {
            try await clock.sleep(for: pause)
            return .finished
        } catch {
            return .interruption(of: message)
        }
    }
}

/// A generator shared by concurrent handlers for backoff jitter.
final class RandomSource: Sendable {
    private let generator: Mutex<SplitMix64>

    init(seed: UInt64) {
        generator = Mutex(SplitMix64(seed: seed))
    }

    func withGenerator<T>(_ body: (inout SplitMix64) -> T) -> T {
        generator.withLock { body(&$0) }
    }
}
