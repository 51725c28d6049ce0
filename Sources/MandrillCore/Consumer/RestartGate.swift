/// Decides, before each restart attempt, whether it may run now: the hook for the safety
/// guards. `admit` may wait (rate limits, concurrency, another restart of the same host);
/// it returns `.interrupted` when the message's lease expires or its task is cancelled.
public protocol RestartGate: Sendable {
    /// Decides about one restart attempt.
    func admit(_ request: RestartRequest, message: InFlightMessage) async -> GateAdmission
    /// Returns the permit of an attempt that was admitted, with how it went.
    func release(_ permit: RestartPermit, outcome: RestartPermit.Outcome)
    /// A message for `host` ended failed (retries exhausted or a permanent error): feeds the brake.
    func recordFailure(host: String)
}

extension RestartGate {
    /// Gates without a brake ignore failures.
    public func recordFailure(host: String) {}
}

/// A gate's answer.
///
/// The two-string payloads are boxed (allocated only when the guard says no), so that an
/// admission kept in a handler's frame is small.
public enum GateAdmission: Sendable {
    /// Restart now; return the permit with `release`.
    case proceed(RestartPermit)
    /// Do not restart; ack with `outcome` (`skipped`, `skipped_cooldown`, `coalesced`, …).
    indirect case done(outcome: String, reason: String)
    /// Not now: nack so the message comes back after `delay`.
    indirect case deferred(Duration, reason: String)
    /// The wait was interrupted by lease expiry or cancellation.
    case interrupted(InFlightMessage.WaitResult)
}

/// Permission for one restart attempt.
public struct RestartPermit: Sendable {
    /// How the permitted attempt ended.
    public enum Outcome: Sendable {
        case succeeded, failed, interrupted
    }

    /// Host being restarted.
    public let host: String
    /// Run the pipeline without calling the restarter.
    public let dryRun: Bool

    /// Creates a permit.
    public init(host: String, dryRun: Bool = false) {
        self.host = host
        self.dryRun = dryRun
    }
}

/// A gate that admits every restart (tests and benchmarks without guards).
public struct OpenGate: RestartGate {
    /// Creates the gate.
    public init() {}

    public func admit(_ request: RestartRequest, message: InFlightMessage) async -> GateAdmission {
        .proceed(RestartPermit(host: request.hostname))
    }

    public func release(_ permit: RestartPermit, outcome: RestartPermit.Outcome) {}
}
