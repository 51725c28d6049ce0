extension MessageHandler {
    /// How one restart attempt ended.
    enum RestartStep {
        case succeeded(Duration)
        case failed(RestartError, Duration)
        case leaseExpired
        case cancelled

        var gateOutcome: RestartPermit.Outcome {
            switch self {
            case .succeeded: .succeeded
            case .failed: .failed
            case .leaseExpired, .cancelled: .interrupted
            }
        }
    }

    /// Runs the restart and, on the first attempt, saves the started record at the same
    /// time. Lease expiry or cancellation interrupt the restart (it is cancelled).
    func restartAndSave(
        _ message: InFlightMessage, request: RestartRequest, attempt: Int, saveStarted: Bool, dryRun: Bool = false
    ) async -> RestartStep {
        // Kept small on purpose (the frame lives for the whole restart): saving, logging and
        // reading the outcome happen in helpers whose frames exist only while they run.
        let start = clock.now
        enter(message, .restart, attempt: attempt, now: start)
        // The restart runs in its own task, awaited right here, so that lease expiry and the
        // handler's cancellation can cancel it while the started record is saved alongside.
        // This is the documented boundary for an unstructured task: an `async let` child
        // signalling the waiting parent crashed the Swift 6.3.1 runtime intermittently
        // (README, Development); the task never outlives this function.
        let restart = Task { [restarter] () -> Result<Void, any Error> in
            if dryRun { return .success(()) }
            do {
                try await restarter.restart(request)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        message.onLeaseExpiry { restart.cancel() }
        if saveStarted { await saveStartedRecord(message, request: request, attempt: attempt) }
        let outcome = await withTaskCancellationHandler {
            await restart.value
        } onCancel: {
            restart.cancel()
        }
        message.onLeaseExpiry(nil)
        return step(after: outcome, message: message, start: start, dryRun: dryRun)
    }

    private func saveStartedRecord(_ message: InFlightMessage, request: RestartRequest, attempt: Int) async {
        let saveStart = clock.now
        if await appendDurably([record(.restartStarted, message, detail: "try=\(attempt)")]) {
            observer.stageEnded(.save, duration: saveStart.duration(to: clock.now))
            logger.info("Saved message.", [
                "msg_id": message.delivery.id, "host": request.hostname, "attempt": message.delivery.attempt, "stage": "save",
            ])
        }
    }

    private func step(
        after outcome: Result<Void, any Error>, message: InFlightMessage, start: ContinuousClock.Instant, dryRun: Bool
    ) -> RestartStep {
        let duration = start.duration(to: clock.now)
        if case .failure(is CancellationError) = outcome {
            return message.isLeaseExpired ? .leaseExpired : .cancelled
        }
        observer.stageEnded(.restart, duration: duration)
        switch outcome {
        case .success:
            observer.restarted(outcome: dryRun ? "dry_run" : "succeeded", duration: duration)
            return .succeeded(duration)
        case .failure(let error as RestartError):
            observer.restarted(outcome: error.kind == .permanent ? "permanent_failure" : "retryable_failure", duration: duration)
            return .failed(error, duration)
        case .failure(let error):
            observer.restarted(outcome: "retryable_failure", duration: duration)
            return .failed(RestartError(.retryable, "\(error)"), duration)
        }
    }
}
