extension MessageHandler {
    /// How one restart attempt ended. The failure's payload is boxed (allocated only on
    /// failure): unboxed, each copy of a step in `handle`'s frame took 57 bytes.
    enum RestartStep {
        case succeeded(Duration)
        indirect case failed(RestartError, Duration)
        case leaseExpired
        case cancelled
        /// The store could not take the started record: nothing was restarted.
        case unsaved

        var gateOutcome: RestartPermit.Outcome {
            switch self {
            case .succeeded: .succeeded
            case .failed: .failed
            case .leaseExpired, .cancelled, .unsaved: .interrupted
            }
        }
    }

    /// Runs the restart; on the first attempt the started record is handed to the store
    /// first and saved (by the journal's writer thread) while the restart runs — the
    /// outcome's durable append waits for both. Lease expiry and the drain deadline cancel
    /// the handler's task, which cancels the restart.
    @inline(__always)
    func restartAndSave(
        _ message: InFlightMessage, request: RestartRequest, attempt: Int, saveStarted: Bool, dryRun: Bool = false
    ) async -> RestartStep {
        // The restart's start is the stage's start, kept by the message (see `enter`).
        enter(message, .restart, attempt: attempt)
        if saveStarted && !saveStartedRecord(message, request: request, attempt: attempt) { return .unsaved }
        guard !dryRun else { return step(after: .success(()), message: message, dryRun: true) }
        do {
            try await restarter.restart(request)
            return step(after: .success(()), message: message, dryRun: false)
        } catch {
            return step(after: .failure(error), message: message, dryRun: false)
        }
    }

    @inline(never)
    private func saveStartedRecord(_ message: InFlightMessage, request: RestartRequest, attempt: Int) -> Bool {
        // Not awaited: the journal saves it while the restart runs; the outcome's append
        // waits for it. A store that cannot take it at all stops the restart.
        guard saveBehind(record(.restartStarted, message, attempt: attempt)) else { return false }
        logger.info("Restarting host.", [
            "msg_id": message.delivery.id, "host": request.hostname, "attempt": message.delivery.attempt,
            "try": attempt, "stage": "restart",
        ])
        return true
    }

    @inline(never)
    private func step(
        after outcome: Result<Void, any Error>, message: InFlightMessage, dryRun: Bool
    ) -> RestartStep {
        let duration = message.timeInStage(now: clock.now)
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
