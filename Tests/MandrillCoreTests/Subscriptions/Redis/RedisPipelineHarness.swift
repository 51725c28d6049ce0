@testable import MandrillCore
import RedisServerLauncher

/// The real pipeline — Redis subscription, handler, consumer, lease keeper — on the
/// system clock against a private redis-server, with an in-memory store.
struct RedisPipelineHarness: Sendable {
    let subscription: RedisStreamSubscription
    let restarter: ScriptedRestarter
    let store = InMemoryStateStore()
    let table = InFlightTable()
    let shutdown = Shutdown()
    let totals = RunTotals()
    let maxInFlight: Int
    let retry: RetrySettings
    let lease: LeaseSettings

    init(
        server: LocalRedisServer, settings: RedisStreamSubscription.Settings = .test(), maxInFlight: Int = 100,
        restarter: ScriptedRestarter = ScriptedRestarter(), retry: RetrySettings = RetrySettings(),
        lease: LeaseSettings = .fast
    ) {
        subscription = RedisStreamSubscription(
            endpoint: server.endpoint, settings: settings,
            backoff: RedisReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200)),
            logger: .silent)
        self.restarter = restarter
        self.maxInFlight = maxInFlight
        self.retry = retry
        self.lease = lease
    }

    /// Runs the pipeline until `stop` is called on the returned handle.
    func start() -> Running {
        let handler = MessageHandler(
            subscription: subscription, restarter: restarter, store: store,
            settings: .init(retry: RetryPolicy(retry)), clock: SystemClock(), logger: .silent, observer: totals, seed: 7)
        let consumer = Consumer(
            subscription: subscription, handler: handler, table: table, shutdown: shutdown,
            settings: .init(maxInFlight: maxInFlight, ackDeadline: .seconds(double: lease.ackDeadlineSeconds)),
            clock: SystemClock(), logger: .silent, observer: totals)
        let keeper = LeaseKeeper(
            table: table, subscription: subscription, settings: .init(lease), clock: SystemClock(), logger: .silent)
        let subscription = self.subscription
        let background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { try? await subscription.run() }
                group.addTask { await keeper.run() }
            }
        }
        return Running(harness: self, consuming: Task { await consumer.run() }, background: background)
    }

    /// A started pipeline.
    struct Running: Sendable {
        let harness: RedisPipelineHarness
        let consuming: Task<Void, Never>
        let background: Task<Void, Never>

        /// Shuts down the way the daemon does: stop intake, let handlers finish, stop the
        /// background work, close the subscription (which sends queued acks).
        func stop() async {
            harness.shutdown.begin(.signal("SIGTERM"))
            harness.subscription.stopIntake()
            await consuming.value
            background.cancel()
            await background.value
            await harness.subscription.close()
        }
    }
}

extension LeaseSettings {
    /// Leases extended every 0.2 s by 0.5 s.
    static var fast: LeaseSettings {
        var lease = LeaseSettings()
        lease.ackDeadlineSeconds = 0.5
        lease.extendEverySeconds = 0.2
        return lease
    }
}
