import MandrillCore

/// The daemon's real pipeline — subscription, consumer, handler, lease keeper, shutdown
/// coordinator, publisher — wired the way `Daemon.run()` wires it, with a simulated
/// restarter and every delivery's ack timed.
///
/// Sendable: its parts are.
struct PipelineRig<Feed: Subscription>: Sendable {
    /// What to run.
    struct Settings: Sendable {
        /// Deliveries in hand at once.
        var maxInFlight: Int
        /// The consumer stops itself after this many deliveries; 0 = the driver stops it.
        var maxMessages: Int
        /// Simulated restart latency (every restart takes exactly this long, none fails).
        var restartLatencyMs: Int
        /// Off for `--no-latency`.
        var recordLatency = true
    }

    /// What a scenario's driver reaches while the pipeline runs.
    struct Handles: Sendable {
        let shutdown: Shutdown
        let table: InFlightTable
        let subscription: TimedSubscription<Feed>
        let totals: RunTotals
    }

    /// How the run went.
    struct Outcome: Sendable {
        /// Before the first publish.
        let started: ContinuousClock.Instant
        /// `Consumer.run()` returned: every delivery settled.
        let consumerReturned: ContinuousClock.Instant
        /// Subscription and state store closed (the daemon's `finishRun`).
        let closed: ContinuousClock.Instant
        let totals: (received: Int, acked: Int, nacked: Int, deadLettered: Int, abandoned: Int, duplicate: Int)
        let subscription: TimedSubscription<Feed>

        /// Publish start → every delivery settled.
        var seconds: Double { started.duration(to: consumerReturned).seconds }
        /// Received but in no final count.
        var unaccounted: Int {
            totals.received - (totals.acked + totals.nacked + totals.deadLettered + totals.abandoned)
        }
    }

    let feed: Feed
    /// Publishes the scenario's messages until done or until its argument returns true.
    let publish: @Sendable (_ stopWhen: @escaping @Sendable () -> Bool) async throws -> Void
    let store: any StateStore
    let settings: Settings

    /// Runs until the consumer returns (by `maxMessages` or the driver's shutdown), then
    /// closes the subscription and the store.
    func run(driver: (@Sendable (Handles) async -> Void)? = nil) async -> Outcome {
        let clock = SystemClock()
        let logger = Logger.silent
        let shutdown = Shutdown()
        let table = InFlightTable()
        let totals = RunTotals()
        let subscription = TimedSubscription(feed, recording: settings.recordLatency)
        var simulated = SimulatedSettings()
        simulated.minLatencyMs = settings.restartLatencyMs
        simulated.maxLatencyMs = settings.restartLatencyMs
        simulated.failureRate = 0
        simulated.permanentFailureRate = 0
        simulated.seed = 7
        let handler = MessageHandler(
            subscription: subscription, restarter: SimulatedRestarter(settings: simulated, clock: clock), store: store,
            settings: .init(retry: RetryPolicy(RetrySettings())), clock: clock, logger: logger, observer: totals, seed: 7)
        let lease = LeaseSettings()
        let consumer = Consumer(
            subscription: subscription, handler: handler, table: table, shutdown: shutdown,
            settings: .init(
                maxInFlight: settings.maxInFlight, maxMessages: settings.maxMessages,
                ackDeadline: .seconds(double: lease.ackDeadlineSeconds)),
            clock: clock, logger: logger, observer: totals)
        let leaseKeeper = LeaseKeeper(
            table: table, subscription: subscription, settings: .init(lease), clock: clock, logger: logger,
            observer: totals)
        let handles = Handles(shutdown: shutdown, table: table, subscription: subscription, totals: totals)
        let publish = publish
        let started = ContinuousClock.now
        let consumerReturned = await withTaskGroup(of: Void.self, returning: ContinuousClock.Instant.self) { group in
            group.addTask { try? await subscription.run() }
            group.addTask { await leaseKeeper.run() }
            group.addTask { try? await publish { shutdown.isDraining } }
            // The daemon's shutdown coordinator: once shutdown begins, stop intake.
            group.addTask {
                await shutdown.waitUntilDraining()
                if shutdown.isDraining { subscription.stopIntake() }
            }
            if let driver {
                group.addTask { await driver(handles) }
            }
            await consumer.run()
            let returned = ContinuousClock.now
            group.cancelAll()
            return returned
        }
        await subscription.close()
        try? await store.close()
        return Outcome(
            started: started, consumerReturned: consumerReturned, closed: .now, totals: totals.snapshot,
            subscription: subscription)
    }
}
