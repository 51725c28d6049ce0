/// Restarts a host by running a configured command, optionally verifying it came back.
///
/// Sendable: immutable values. Exit 0 is success; an exit code in `retryableExitCodes`,
/// a timeout or death by a signal is a retryable failure; any other exit code, a
/// missing executable or an unsafe request value is permanent. Cancellation terminates
/// the command's process group and throws `CancellationError`.
public struct CommandRestarter: HostRestarter {
    /// The settings this restarter was built from.
    public let settings: CommandRestarterSettings
    private let template: CommandTemplate
    private let verifier: RestartVerifier?
    private let clock: any Clock<Duration>

    /// Validates the templates in `settings`; `clock` bounds runs and paces verification.
    public init(
        settings: CommandRestarterSettings,
        clock: any Clock<Duration> = ContinuousClock()
    ) throws(CommandTemplateError) {
        self.settings = settings
        self.template = try CommandTemplate(settings.argv)
        self.clock = clock
        if let verify = settings.verify {
            self.verifier = RestartVerifier(
                template: try CommandTemplate(verify.argv),
                interval: verify.interval,
                timeout: verify.timeout,
                attemptTimeout: verify.attemptTimeout,
                killAfter: settings.killAfter,
                maxOutputBytes: settings.maxOutputBytes,
                extraEnvironmentNames: settings.extraEnvironmentNames,
                clock: clock)
        } else {
            self.verifier = nil
        }
    }

    /// Runs the command for `request`, then the verification if configured.
    public func restart(_ request: RestartRequest) async throws {
        let argv: [String]
        do {
            argv = try template.arguments(for: request)
        } catch {
            throw RestartError(.permanent, error.description)
        }
        let command = ChildProcess(
            argv: argv,
            environment: ChildEnvironment.allowlisted(extraNames: settings.extraEnvironmentNames),
            timeout: settings.timeout,
            killAfter: settings.killAfter,
            maxOutputBytes: settings.maxOutputBytes)
        let result: ChildProcessResult
        do {
            result = try await command.run(clock: clock)
        } catch let error as ChildProcessError {
            throw RestartError(error.isPermanent ? .permanent : .retryable, error.description)
        }
        if let failure = failure(of: result) {
            throw failure
        }
        try await verifier?.verify(request)
    }

    /// The restart error a finished command means, or nil when it succeeded.
    public func failure(of result: ChildProcessResult) -> RestartError? {
        let tail = result.outputTail()
        if result.timedOut {
            return RestartError(.retryable, "timed out after \(settings.timeout.secondsText)", outputTail: tail)
        }
        switch result.termination {
        case .exited(0):
            return nil
        case .exited(let code):
            let kind: RestartError.Kind = settings.retryableExitCodes.contains(code) ? .retryable : .permanent
            return RestartError(kind, "command exited \(code)", outputTail: tail)
        case .signalled, .unknown:
            return RestartError(.retryable, "command \(result.termination)", outputTail: tail)
        }
    }
}
