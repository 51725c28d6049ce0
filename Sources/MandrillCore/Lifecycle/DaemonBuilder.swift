import Foundation

/// Builds the daemon's parts from a configuration: subscription and publisher, restarter,
/// state store, safety gate, observers.
public struct DaemonBuilder: Sendable {
    let configuration: Configuration
    let limits: Daemon.RunLimits
    let environment: [String: String]
    let logger: Logger
    let clock: any MandrillClock

    /// Creates a builder.
    public init(
        configuration: Configuration, limits: Daemon.RunLimits, environment: [String: String], logger: Logger,
        clock: any MandrillClock = SystemClock()
    ) {
        self.configuration = configuration
        self.limits = limits
        self.environment = environment
        self.logger = logger
        self.clock = clock
    }

    /// Opens the state, builds every part and returns the daemon, ready to run.
    public func build(
        signals: AsyncStream<UnixSignal>?, reload: (@Sendable () throws -> Configuration)?
    ) async throws -> Daemon {
        let shutdown = Shutdown()
        let store = try await openStore()
        let totals = RunTotals()
        let observer: any ConsumerObserver = totals
        let (subscription, publisher) = makeSubscription()
        let restarter = try makeRestarter()
        let handler = MessageHandler(
            subscription: subscription, restarter: restarter, store: store,
            settings: .init(retry: RetryPolicy(configuration.retry), inDoubt: configuration.state.inDoubt),
            clock: clock, logger: logger, observer: observer)
        var hooks = Daemon.Hooks()
        hooks.reload = reload
        return Daemon(
            configuration: configuration,
            parts: .init(
                subscription: subscription, publisher: publisher, handler: handler, store: store,
                table: InFlightTable(), totals: totals),
            limits: limits, hooks: hooks, shutdown: shutdown, signals: signals, clock: clock, logger: logger)
    }

    func makeSubscription() -> (any Subscription, InProcessPublisher?) {
        let broker = InProcessBroker(
            settings: .init(
                ackDeadline: .seconds(double: configuration.lease.ackDeadlineSeconds),
                maxBacklog: max(10_000, configuration.subscription.maxInFlight * 2)),
            clock: clock)
        let publisher = InProcessPublisher(
            broker: broker, settings: configuration.subscription.inProcess, clock: clock, logger: logger)
        return (broker, publisher)
    }

    func makeRestarter() throws -> any HostRestarter {
        switch configuration.restarter.kind {
        case .simulated:
            return SimulatedRestarter(settings: configuration.restarter.simulated, clock: clock)
        case .command:
            let command = configuration.restarter.command
            let verify = configuration.restarter.verify
            let settings = CommandRestarterSettings(
                argv: command.argv, timeout: .seconds(double: command.timeoutSeconds),
                killAfter: .seconds(double: command.killAfterSeconds), maxOutputBytes: command.maxOutputBytes,
                retryableExitCodes: Set(command.retryableExitCodes), extraEnvironmentNames: command.environment,
                verify: verify.argv.isEmpty ? nil : .init(
                    argv: verify.argv, interval: .seconds(double: verify.intervalSeconds),
                    timeout: .seconds(double: verify.timeoutSeconds),
                    attemptTimeout: .seconds(double: min(verify.intervalSeconds * 3, verify.timeoutSeconds))))
            do {
                return try CommandRestarter(settings: settings)
            } catch {
                throw ConfigurationErrors([ConfigurationError(path: "restarter.command.argv", "\(error)")])
            }
        }
    }

    func openStore() async throws -> any StateStore {
        do {
            return try await JournalStateStore.open(settings: configuration.state, clock: clock, logger: logger) {
                [logger] error in
                // After a failed fsync the kernel may have dropped the dirty pages; nothing
                // written since can be trusted, so stop at once and let systemd restart us.
                logger.error("Journal write or fsync failed; exiting without acking anything more.", [
                    "error": error.description, "code": error.code,
                ])
                exit(ExitCode.ioError)
            }
        } catch let error as JournalError {
            if case .locked = error {
                throw CommandFailure("\(error); is another mandrill running on \(configuration.state.directory)?", exitCode: ExitCode.unavailable)
            }
            throw CommandFailure("cannot open the state directory: \(error)", exitCode: ExitCode.ioError)
        }
    }
}
