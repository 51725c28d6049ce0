extension MessageHandler {
    /// How the handler wants the delivery settled. The nack's payload is boxed: the enum
    /// is then two words and a tag, passed in registers rather than through a slot in
    /// every caller's frame.
    enum Settlement {
        case ack(String)
        indirect case nack(String, delay: Duration? = nil)
        case deadLetter(String)
        case abandon(String)
    }

    /// Saves `extra` and the final record durably, then settles the delivery with the
    /// subscription. When the records cannot be saved the message is nacked unrecorded:
    /// it is never acked without its outcome on disk.
    func finish(
        _ message: InFlightMessage, _ settlement: Settlement, extra: consuming [StateRecord] = [], error: RestartError? = nil
    ) async -> FinalOutcome {
        // Kept small (see `handle`): building the records and settling run in synchronous
        // helpers, so this frame holds little more than the append's arguments.
        // No instants in this frame either: the save's start is the stage's start, kept
        // by the message.
        enter(message, .save)
        guard await appendDurably(records(for: settlement, message, extra: extra)) else {
            return settleUnrecorded(message)
        }
        return settle(message, settlement, error: error)
    }

    @inline(never)
    private func records(for settlement: Settlement, _ message: InFlightMessage, extra: consuming [StateRecord]) -> [StateRecord] {
        let final: StateRecord
        switch settlement {
        case .ack(let why): final = record(.acked, message, detail: why)
        case .nack(let reason, _): final = record(.nacked, message, detail: reason)
        case .deadLetter(let reason): final = record(.deadLettered, message, detail: reason)
        case .abandon(let stage): final = record(.abandoned, message, detail: "drain deadline in stage \(stage)")
        }
        // Appended in place rather than `extra + [final]`: `extra` is consumed, and built by
        // `beforeFinal` with room for this record, so both share one allocation. (An
        // optional record instead of the array would cost each caller's frame a copy.)
        var records = extra
        records.append(final)
        return records
    }

    /// `[record]` with room for the final record `finish` appends: one allocation for both.
    func beforeFinal(_ record: StateRecord) -> [StateRecord] {
        var records: [StateRecord] = []
        records.reserveCapacity(2)
        records.append(record)
        return records
    }

    @inline(never)
    private func settleUnrecorded(_ message: InFlightMessage) -> FinalOutcome {
        let delivery = message.delivery
        logger.error("Could not save the outcome; nacked the message unrecorded.", [
            "msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt,
        ])
        subscription.nack(delivery, delay: settings.retry.nackDelay)
        return finished(message, .nacked("state_unavailable"))
    }

    /// Acks, nacks or dead-letters the delivery once its outcome is saved.
    @inline(never)
    private func settle(
        _ message: InFlightMessage, _ settlement: Settlement, error: RestartError?
    ) -> FinalOutcome {
        let delivery = message.delivery
        let ackStart = clock.now
        observer.stageEnded(.save, duration: enter(message, .ack, now: ackStart))
        let outcome: FinalOutcome
        switch settlement {
        case .ack(let why):
            outcome = .acked(why)
            subscription.ack(delivery)
            if why == "duplicate" {
                logger.info("Acked duplicate without restarting.", ["msg_id": delivery.id, "host": delivery.hostname])
            } else {
                // Built only when info is on: this runs once per message.
                logger.info("Acked message.", [
                    "msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt, "stage": "ack",
                ])
            }
        case .nack(let reason, let delay):
            outcome = .nacked(reason)
            let delay = delay ?? settings.retry.nackDelay
            subscription.nack(delivery, delay: delay)
            logger.warning("Nacked message.", [
                "msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt, "reason": reason,
                "delay_ms": Int(delay.seconds * 1000), "output": error?.outputTail ?? "",
            ])
        case .deadLetter(let reason):
            outcome = .deadLettered(reason)
            subscription.deadLetter(delivery, reason: reason)
            logger.error("Dead-lettered message.", [
                "msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt, "reason": reason,
                "output": error?.outputTail ?? "",
            ])
        case .abandon(let stage):
            outcome = .abandoned(stage)
            subscription.nack(delivery, delay: .zero)
            logger.warning("Abandoned message at the drain deadline.", [
                "msg_id": delivery.id, "host": delivery.hostname, "attempt": delivery.attempt, "stage": stage,
            ])
        }
        // One reading ends both the ack stage and the handling.
        let end = clock.now
        observer.stageEnded(.ack, duration: ackStart.duration(to: end))
        return finished(message, outcome, now: end)
    }

    /// Moves the message to `stage` now; returns how long the previous stage lasted.
    ///
    /// Async callers use this form so that no `ContinuousClock.Instant` lives in their
    /// frames: a resilient type, each one is a separate allocation in every in-flight
    /// task (mandrill-bench `inflight`, bytes per message).
    @inline(never) @discardableResult
    func enter(_ message: InFlightMessage, _ stage: HandlingStage, attempt: Int? = nil) -> Duration {
        enter(message, stage, attempt: attempt, now: clock.now)
    }

    /// Moves the message to `stage`; at debug level every transition is logged. Returns
    /// how long the previous stage lasted.
    @inline(never) @discardableResult
    func enter(_ message: InFlightMessage, _ stage: HandlingStage, attempt: Int? = nil, now: ContinuousClock.Instant) -> Duration {
        let (previous, lasted) = message.enter(stage, attempt: attempt, now: now)
        if logger.isEnabled(.debug) {
            logger.debug("Stage changed.", [
                "msg_id": message.delivery.id, "host": message.delivery.hostname, "attempt": message.delivery.attempt,
                "stage": stage.rawValue, "from": previous.rawValue, "from_ms": Int(lasted.seconds * 1000),
            ])
        }
        return lasted
    }

    func finished(_ message: InFlightMessage, _ outcome: FinalOutcome) -> FinalOutcome {
        finished(message, outcome, now: clock.now)
    }

    func finished(_ message: InFlightMessage, _ outcome: FinalOutcome, now: ContinuousClock.Instant) -> FinalOutcome {
        observer.finished(outcome, handling: message.delivery.receivedAt.duration(to: now))
        return outcome
    }

    /// Hands a record to the store without waiting for it to be durable; false (logged)
    /// when the store cannot take it.
    func saveBehind(_ record: StateRecord) -> Bool {
        do {
            try store.appendBehind(record)
            return true
        } catch {
            logger.warning("Saving a record failed.", ["error": "\(error)"])
            return false
        }
    }

    /// Appends records, retrying a failing store with backoff; false when it kept failing.
    func appendDurably(_ records: [StateRecord]) async -> Bool {
        // The first try only: this frame lives while the outcome is saved, so the retries'
        // state and logging are in `appendRetrying`'s frame, which exists only on failure.
        do {
            try await store.append(records)
            return true
        } catch {
            return await appendRetrying(records, after: error)
        }
    }

    /// Logs a failed append and tries again with backoff, up to `settings.saveAttempts` in all.
    @inline(never)
    private func appendRetrying(_ records: [StateRecord], after firstError: any Error) async -> Bool {
        var pause = Duration.milliseconds(50)
        var error = firstError
        var attempt = 1
        while true {
            logger.warning("Saving a record failed.", ["attempt": attempt, "error": "\(error)"])
            guard attempt < settings.saveAttempts else { return false }
            // A cancelled handler (drain deadline) retries at once: its sleep throws.
            try? await clock.sleep(for: pause)
            pause *= 2
            attempt += 1
            do {
                try await store.append(records)
                return true
            } catch let failure {
                error = failure
            }
        }
    }

    func record(
        _ kind: StateRecord.Kind, _ message: InFlightMessage, detail: String = "", duration: Duration = .zero
    ) -> StateRecord {
        StateRecord(
            time: clock.wallTime, kind: kind, messageID: message.delivery.id, host: message.delivery.hostname,
            attempt: message.delivery.attempt, detail: detail, duration: duration.seconds)
    }

    func record(
        _ kind: StateRecord.Kind, _ message: InFlightMessage, attempt: Int, detail: String = "", duration: Duration = .zero
    ) -> StateRecord {
        // The first try's detail is a literal: it is the one written for nearly every message.
        let tried = attempt == 1 ? "try=1" : "try=\(attempt)"
        return record(kind, message, detail: detail.isEmpty ? tried : "\(detail) (try \(attempt))", duration: duration)
    }

    func decision(_ message: InFlightMessage, _ verdict: String, _ reason: String) -> StateRecord {
        record(.decision, message, detail: "\(verdict): \(reason)")
    }
}
