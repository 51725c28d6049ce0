import Synchronization

/// The daemon's root: one task group whose children are the consumer, the lease keeper,
/// the subscription's background work, the publisher, signal handling and the shutdown
/// coordinator. It returns the process exit code.
///
/// A child's failure never escapes the group: it is logged, begins a graceful shutdown,
/// and turns the exit code to 70.
public struct Daemon: Sendable {
    /// What the daemon runs.
    public struct Parts: Sendable {
        public var subscription: any Subscription
        public var publisher: InProcessPublisher?
        public var handler: MessageHandler
        public var store: any StateStore
        public var table: InFlightTable
        public var totals: RunTotals
        public var heartbeat: Heartbeat?

        /// Bundles the parts.
        public init(
            subscription: any Subscription, publisher: InProcessPublisher?, handler: MessageHandler,
            store: any StateStore, table: InFlightTable, totals: RunTotals, heartbeat: Heartbeat? = nil
        ) {
            self.subscription = subscription
            self.publisher = publisher
            self.handler = handler
            self.store = store
            self.table = table
            self.totals = totals
            self.heartbeat = heartbeat
        }
    }

    /// How long and how much to run.
    public struct RunLimits: Sendable {
        /// Stop gracefully after taking this many deliveries; 0 = no limit.
        public var maxMessages = 0
        /// Stop gracefully after this long; nil = no limit.
        public var duration: Duration?

        /// Creates limits.
        public init(maxMessages: Int = 0, duration: Duration? = nil) {
            self.maxMessages = maxMessages
            self.duration = duration
        }
    }

    /// Optional behaviour supplied by the executable: reloads, systemd, extra services.
    public struct Hooks: Sendable {
        /// Reads and validates the configuration file again (SIGHUP); nil = nothing to reload.
        public var reload: (@Sendable () throws -> Configuration)?
        /// Applies the reloadable parts of a valid new configuration.
        public var applyReload: @Sendable (Configuration) -> Void = { _ in }
        /// SIGUSR2: toggles the intake pause.
        public var togglePause: @Sendable () -> Void = {}
        /// Called once the subscription is consuming.
        public var ready: @Sendable () -> Void = {}
        /// Called when shutdown begins.
        public var stopping: @Sendable () -> Void = {}
        /// Services that run alongside the consumer (watchdog, pause file); cancelled once
        /// the consumer has finished.
        public var services: [@Sendable () async -> Void] = []
        /// Endpoints that outlive everything else (the metrics server): stopped only after
        /// the journal is flushed, so the last scrape sees the final counts.
        public var endpoints: [@Sendable () async -> Void] = []

        /// No hooks.
        public init() {}
    }

    let configuration: Configuration
    let parts: Parts
    let limits: RunLimits
    let hooks: Hooks
    let shutdown: Shutdown
    let signals: AsyncStream<UnixSignal>?
    let clock: any MandrillClock
    let logger: Logger

    /// Creates a daemon from its parts.
    public init(
        configuration: Configuration, parts: Parts, limits: RunLimits = RunLimits(), hooks: Hooks = Hooks(),
        shutdown: Shutdown = Shutdown(), signals: AsyncStream<UnixSignal>?, clock: any MandrillClock = SystemClock(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.parts = parts
        self.limits = limits
        self.hooks = hooks
        self.shutdown = shutdown
        self.signals = signals
        self.clock = clock
        self.logger = logger
    }

    private enum Child: Sendable {
        case consumer
        case finished(String)
        case failed(String, any Error)
    }

    /// Runs until a graceful shutdown completes; returns the exit code (0, or 70 after an
    /// internal failure).
    public func run() async -> Int32 {
        await withTaskGroup(of: Void.self) { endpoints in
            for endpoint in hooks.endpoints {
                endpoints.addTask { await endpoint() }
            }
            let exitCode = await runUntilFlushed()
            endpoints.cancelAll()
            return exitCode
        }
    }

    private func runUntilFlushed() async -> Int32 {
        var exitCode: Int32 = 0
        let manifest = ShutdownManifest()
        let consumer = Consumer(
            subscription: parts.subscription, handler: parts.handler, table: parts.table, shutdown: shutdown,
            settings: .init(
                maxInFlight: configuration.subscription.maxInFlight, maxMessages: limits.maxMessages,
                ackDeadline: .seconds(double: configuration.lease.ackDeadlineSeconds)),
            clock: clock, logger: logger, observer: parts.handler.observer, manifest: manifest)
        let leaseKeeper = LeaseKeeper(
            table: parts.table, subscription: parts.subscription,
            settings: .init(configuration.lease, debug: configuration.debug), clock: clock, logger: logger,
            observer: parts.handler.observer, heartbeat: parts.heartbeat)
        logger.info("Daemon started.", [
            "subscription": configuration.subscription.kind.rawValue, "restarter": configuration.restarter.kind.rawValue,
            "max_in_flight": configuration.subscription.maxInFlight, "state": configuration.state.directory,
            "dry_run": configuration.safety.dryRun,
        ])
        await withTaskGroup(of: Child.self) { group in
            group.addTask { await consumer.run(); return .consumer }
            group.addTask { await leaseKeeper.run(); return .finished("lease keeper") }
            group.addTask {
                do {
                    try await parts.subscription.run()
                    return .finished("subscription")
                } catch {
                    return .failed("subscription", error)
                }
            }
            if let publisher = parts.publisher {
                group.addTask {
                    do {
                        try await publisher.run(stopWhen: { shutdown.isDraining })
                        return .finished("publisher")
                    } catch {
                        return .failed("publisher", error)
                    }
                }
            }
            if let signals {
                group.addTask { await handleSignals(signals); return .finished("signals") }
            }
            group.addTask { await coordinateShutdown(); return .finished("shutdown coordinator") }
            if let duration = limits.duration {
                group.addTask {
                    if (try? await clock.sleep(for: duration)) != nil {
                        logger.info("Run duration elapsed; shutting down gracefully.", ["duration_s": duration.seconds])
                        shutdown.begin(.duration(duration.seconds))
                    }
                    return .finished("run timer")
                }
            }
            for service in hooks.services {
                group.addTask { await service(); return .finished("service") }
            }
            hooks.ready()
            while let child = await group.next() {
                switch child {
                case .consumer:
                    if !shutdown.isDraining {
                        logger.error("The consumer stopped without a shutdown; exiting.", [:])
                        exitCode = 70
                    }
                    group.cancelAll()
                case .failed(let name, let error) where !(error is CancellationError) && !shutdown.isForced:
                    logger.error("A daemon task failed; shutting down gracefully.", ["task": name, "error": "\(error)"])
                    exitCode = 70
                    shutdown.begin(.fatal("\(name): \(error)"))
                case .failed, .finished:
                    continue
                }
            }
        }
        return await finishRun(exitCode: exitCode, manifest: manifest)
    }

    private func finishRun(exitCode: Int32, manifest: ShutdownManifest) async -> Int32 {
        var exitCode = exitCode
        await parts.subscription.close()
        do {
            try await parts.store.append(manifest.records(time: clock.wallTime))
            logger.info("Wrote the shutdown manifest.", ["messages": manifest.count])
        } catch {
            logger.error("Could not write the shutdown manifest.", ["error": "\(error)"])
        }
        do {
            try await parts.store.close()
        } catch {
            logger.error("Could not flush the state store.", ["error": "\(error)"])
            exitCode = exitCode == 0 ? 74 : exitCode
        }
        let totals = parts.totals.snapshot
        logger.info("Shutdown complete.", [
            "received": totals.received, "acked": totals.acked, "nacked": totals.nacked,
            "dead_lettered": totals.deadLettered, "abandoned": totals.abandoned, "duplicate": totals.duplicate,
            "reason": shutdown.reason?.description ?? "none", "exit_code": exitCode,
        ])
        return exitCode
    }

    /// Waits for shutdown to begin, stops intake, and forces cancellation at the drain deadline.
    private func coordinateShutdown() async {
        await shutdown.waitUntilDraining()
        guard !Task.isCancelled else { return }
        let drainTimeout = Duration.seconds(double: configuration.shutdown.drainTimeoutSeconds)
        logger.info("Shutting down gracefully: intake stopped, draining in-flight messages.", [
            "reason": shutdown.reason?.description ?? "", "in_flight": parts.table.count,
            "drain_timeout_s": drainTimeout.seconds,
        ])
        parts.subscription.stopIntake()
        hooks.stopping()
        do {
            try await clock.sleep(for: drainTimeout)
        } catch {
            return
        }
        if !shutdown.isForced {
            logger.warning("Drain deadline reached; cancelling in-flight messages.", ["in_flight": parts.table.count])
            shutdown.force(.drainDeadline)
        }
    }
}
