/// Checks that a restarted host is back by running a command until it exits 0.
///
/// Sendable: immutable values. The first check runs right away, then one every
/// `interval` until `timeout` has passed since the first. For fire-and-forget restarts
/// (`ssh host reboot`), the check should test something the restart changes, such as
/// the boot id, or it may pass before the host has even gone down.
public struct RestartVerifier: Sendable {
    /// The check's argv template.
    public let template: CommandTemplate
    /// Pause between failed checks.
    public let interval: Duration
    /// How long the host has to come back.
    public let timeout: Duration
    /// The bound on one run of the check.
    public let attemptTimeout: Duration
    /// How long after SIGTERM a check's process group gets SIGKILL.
    public let killAfter: Duration
    /// Bytes of each stream kept per check.
    public let maxOutputBytes: Int
    /// Environment variables passed on besides `ChildEnvironment.defaultNames`.
    public let extraEnvironmentNames: [String]
    private let clock: any Clock<Duration>

    /// Creates a verifier; `clock` paces the checks and bounds each run.
    public init(
        template: CommandTemplate,
        interval: Duration,
        timeout: Duration,
        attemptTimeout: Duration,
        killAfter: Duration = .seconds(5),
        maxOutputBytes: Int = 64 * 1024,
        extraEnvironmentNames: [String] = [],
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.template = template
        self.interval = interval
        self.timeout = timeout
        self.attemptTimeout = attemptTimeout
        self.killAfter = killAfter
        self.maxOutputBytes = maxOutputBytes
        self.extraEnvironmentNames = extraEnvironmentNames
        self.clock = clock
    }

    /// Returns once a check exits 0; throws `RestartError(.retryable, "host not verified
    /// back within …")` when none does in time, `CancellationError` when cancelled.
    public func verify(_ request: RestartRequest) async throws {
        try await verify(request, on: clock)
    }

    private func verify<C: Clock<Duration>>(_ request: RestartRequest, on clock: C) async throws {
        let argv: [String]
        do {
            argv = try template.arguments(for: request)
        } catch {
            throw RestartError(.permanent, "verify: \(error)")
        }
        let deadline = clock.now.advanced(by: timeout)
        var lastTail = ""
        while true {
            let remaining = clock.now.duration(to: deadline)
            let check = ChildProcess(
                argv: argv,
                environment: ChildEnvironment.allowlisted(extraNames: extraEnvironmentNames),
                timeout: max(.zero, min(attemptTimeout, remaining)),
                killAfter: killAfter,
                maxOutputBytes: maxOutputBytes)
            do {
                let result = try await check.run(clock: clock)
                if result.succeeded {
                    return
                }
                lastTail = result.outputTail()
            } catch let error as ChildProcessError {
                throw RestartError(error.isPermanent ? .permanent : .retryable, "verify: \(error)")
            }
            guard clock.now.advanced(by: interval) < deadline else {
                break
            }
            try await clock.sleep(for: interval)
        }
        throw RestartError(.retryable, "host not verified back within \(timeout.secondsText)", outputTail: lastTail)
    }
}
