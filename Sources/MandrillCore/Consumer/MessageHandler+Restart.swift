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
        let start = clock.now
        enter(message, .restart, attempt: attempt, now: start)
        message.arm()
        async let outcome: Result<Void, any Error> = { [restarter] in
            defer { message.signal() }
            if dryRun { return .success(()) }
            do {
                try await restarter.restart(request)
                return .success(())
            } catch {
                return .failure(error)
            }
        }()
        if saveStarted {
            let saveStart = clock.now
            if await appendDurably([record(.restartStarted, message, detail: "try=\(attempt)")]) {
                observer.stageEnded(.save, duration: saveStart.duration(to: clock.now))
                logger.info("Saved message.", [
                    "msg_id": message.delivery.id, "host": request.hostname, "attempt": message.delivery.attempt, "stage": "save",
                ])
            }
        }
        switch await message.waitForSignal() {
        case .leaseExpired: return .leaseExpired
        case .cancelled: return .cancelled
        case .finished: break
        }
        let duration = start.duration(to: clock.now)
        observer.stageEnded(.restart, duration: duration)
        switch await outcome {
        case .success:
            observer.restarted(outcome: dryRun ? "dry_run" : "succeeded", duration: duration)
            return .succeeded(duration)
        case .failure(let error as RestartError):
            observer.restarted(outcome: error.kind == .permanent ? "permanent_failure" : "retryable_failure", duration: duration)
            return .failed(error, duration)
        case .failure(is CancellationError):
            return message.isLeaseExpired ? .leaseExpired : .cancelled
        case .failure(let error):
            observer.restarted(outcome: "retryable_failure", duration: duration)
            return .failed(RestartError(.retryable, "\(error)"), duration)
        }
    }
}
