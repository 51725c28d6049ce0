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
        let metrics = MandrillMetrics(version: MandrillCommand.version)
        ProcessMetrics.register(in: metrics.registry)
        let store = try await openStore(fsyncHistogram: metrics.journalFsync)
        let totals = RunTotals()
        let heartbeat = Heartbeat(clock: clock)
        let observer = ObserverChain([totals, MetricsObserver(metrics: metrics, heartbeat: heartbeat)])
        let (subscription, publisher) = try makeSubscription()
        let restarter = try makeRestarter()
        let table = InFlightTable()
        let intake = IntakePause(
            subscription: subscription, store: store,
            pauseFile: IntakePause.pauseFile(inStateDirectory: configuration.state.directory), clock: clock, logger: logger)
        let gate = SafetyGate(settings: configuration.safety, store: store, intake: intake, clock: clock, logger: logger)
        let handler = MessageHandler(
            subscription: subscription, restarter: restarter, store: store, gate: gate,
            settings: .init(retry: RetryPolicy(configuration.retry), inDoubt: configuration.state.inDoubt),
            clock: clock, logger: logger, observer: observer)
        var hooks = Daemon.Hooks()
        hooks.reload = reload
        hooks.togglePause = { intake.toggle() }
        hooks.applyReload = { fresh in gate.reload(fresh.safety) }
        hooks.services.append { await intake.run() }
        let systemd = SystemdService(
            notifier: SystemdNotifier(environment: environment), heartbeat: heartbeat, subscription: subscription,
            shutdown: shutdown, table: table, totals: totals,
            drainTimeout: .seconds(double: configuration.shutdown.drainTimeoutSeconds),
            staleAfter: .seconds(double: max(2 * configuration.lease.extendEverySeconds, 5) + 1), clock: clock, logger: logger)
        hooks.stopping = { systemd.stopping() }
        hooks.services.append { await systemd.run() }
        if let server = try makeMetricsServer(metrics: metrics, subscription: subscription, shutdown: shutdown) {
            hooks.endpoints.append { [logger] in
                do {
                    try await server.run()
                } catch is CancellationError {
                } catch {
                    logger.error("The metrics endpoint stopped.", ["error": "\(error)"])
                }
            }
        }
        return Daemon(
            configuration: configuration,
            parts: .init(
                subscription: subscription, publisher: publisher, handler: handler, store: store,
                table: table, totals: totals, heartbeat: heartbeat),
            limits: limits, hooks: hooks, shutdown: shutdown, signals: signals, clock: clock, logger: logger)
    }

    /// The `/metrics`, `/healthz`, `/readyz` endpoint, bound now so a taken port fails the
    /// start (exit 69) instead of a running daemon; nil when `metrics.listen` is empty.
    func makeMetricsServer(metrics: MandrillMetrics, subscription: any Subscription, shutdown: Shutdown) throws -> MetricsServer? {
        guard !configuration.metrics.listen.isEmpty else { return nil }
        let routes = MetricsRoutes(registry: metrics.registry) { subscription.isReady && !shutdown.isDraining }
        do {
            let server = try MetricsServer(listen: configuration.metrics.listen) { routes.respond(to: $0) }
            let port = try server.start()
            logger.info("Serving metrics.", ["listen": configuration.metrics.listen, "port": port])
            return server
        } catch {
            throw CommandFailure("cannot serve metrics on \(configuration.metrics.listen): \(error)", exitCode: ExitCode.unavailable)
        }
    }

    func makeSubscription() throws -> (any Subscription, InProcessPublisher?) {
        switch configuration.subscription.kind {
        case .redis:
            let redis = configuration.subscription.redis
            // passwordFile or MANDRILL_REDIS_PASSWORD override the URL's password; errors name the key.
            let endpoint = try RedisPasswordSource(settings: redis, environment: environment).endpoint(url: redis.url)
            let subscription = RedisStreamSubscription(
                endpoint: endpoint, settings: RedisStreamSubscription.Settings(redis), clock: clock, logger: logger)
            return (subscription, nil)
        case .inProcess:
            let broker = InProcessBroker(
                settings: .init(
                    ackDeadline: .seconds(double: configuration.lease.ackDeadlineSeconds),
                    maxBacklog: max(10_000, configuration.subscription.maxInFlight * 2)),
                clock: clock)
            let publisher = InProcessPublisher(
                broker: broker, settings: configuration.subscription.inProcess, clock: clock, logger: logger)
            return (broker, publisher)
        }
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

    func openStore(fsyncHistogram: Histogram) async throws -> any StateStore {
        do {
            return try await JournalStateStore.open(
                settings: configuration.state, clock: clock, logger: logger,
                fileSystem: FsyncTimingFileSystem(histogram: fsyncHistogram),
                reservingInFlight: configuration.subscription.maxInFlight
            ) {
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
