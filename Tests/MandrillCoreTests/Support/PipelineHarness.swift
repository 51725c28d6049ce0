@testable import MandrillCore

/// The real pipeline (broker, handler, consumer, lease keeper) on a manual clock with an
/// in-memory store, for component tests.
struct PipelineHarness {
    let clock = ManualClock()
    let broker: InProcessBroker
    let store = InMemoryStateStore()
    let table = InFlightTable()
    let shutdown = Shutdown()
    let totals = RunTotals()
    let restarter: ScriptedRestarter
    var retry = RetrySettings()
    var lease = LeaseSettings()
    var maxInFlight = 10

    init(restarter: ScriptedRestarter, ackDeadline: Duration = .seconds(10)) {
        self.restarter = restarter
        broker = InProcessBroker(settings: .init(ackDeadline: ackDeadline, tick: .milliseconds(50)), clock: clock)
    }

    var handler: MessageHandler {
        MessageHandler(
            subscription: broker, restarter: restarter, store: store,
            settings: .init(retry: RetryPolicy(retry)), clock: clock, logger: .silent, observer: totals, seed: 7)
    }

    var consumer: Consumer {
        Consumer(
            subscription: broker, handler: handler, table: table, shutdown: shutdown,
            settings: .init(maxInFlight: maxInFlight, ackDeadline: .seconds(double: lease.ackDeadlineSeconds)),
            clock: clock, logger: .silent, observer: totals)
    }

    func publish(_ count: Int, prefix: String = "m") async {
        await broker.publish((1...count).map { PubSubMessage.request($0, prefix: prefix) })
    }

    /// Begins a graceful shutdown the way the daemon's coordinator does.
    func beginShutdown() {
        shutdown.begin(.signal("SIGTERM"))
        broker.stopIntake()
    }

    /// Runs the consumer while `body` drives and checks the pipeline, then shuts it down
    /// gracefully and waits for it to return. When `body` throws, the consumer's task is
    /// cancelled (as any `async let` left unawaited) so a failing test ends at once.
    func whileConsuming(_ body: () async throws -> Void) async throws {
        let consumer = consumer
        async let run: Void = consumer.run()
        try await body()
        beginShutdown()
        await run
    }

    func records(_ kind: StateRecord.Kind) -> [StateRecord] {
        store.records.filter { $0.kind == kind }
    }
}
