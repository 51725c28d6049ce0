import Synchronization
import Testing
@testable import MandrillCore

@Suite(.timeLimit(.minutes(1)))
struct DaemonTests {
    /// A broker whose background work fails after it has handed out some messages.
    final class FailingBroker: Subscription {
        let inner: InProcessBroker
        let failure: Latch

        init(inner: InProcessBroker, failure: Latch) {
            self.inner = inner
            self.failure = failure
        }

        struct BrokerLost: Error {}

        var deliveries: AsyncStream<[Delivery]> { inner.deliveries }
        func request(_ count: Int) { inner.request(count) }
        func run() async throws {
            try await failure.wait()
            throw BrokerLost()
        }
        func stopIntake() { inner.stopIntake() }
        func setIntakePaused(_ paused: Bool) { inner.setIntakePaused(paused) }
        func ack(_ delivery: Delivery) { inner.ack(delivery) }
        func nack(_ delivery: Delivery, delay: Duration) { inner.nack(delivery, delay: delay) }
        func deadLetter(_ delivery: Delivery, reason: String) { inner.deadLetter(delivery, reason: reason) }
        func extendLeases(_ deliveries: [Delivery], by duration: Duration) async { await inner.extendLeases(deliveries, by: duration) }
        var isReady: Bool { inner.isReady }
        func close() async { await inner.close() }
    }

    @Test func aFailingDaemonTaskDrainsGracefullyAndExits70() async throws {
        let clock = ManualClock()
        let release = Latch()
        let restarter = ScriptedRestarter { _, _ in try await release.wait() }
        let failure = Latch()
        let broker = FailingBroker(inner: InProcessBroker(clock: clock), failure: failure)
        let store = InMemoryStateStore()
        let totals = RunTotals()
        let handler = MessageHandler(
            subscription: broker, restarter: restarter, store: store, settings: .init(retry: RetryPolicy(RetrySettings())),
            clock: clock, logger: .silent, observer: totals)
        var configuration = Configuration()
        configuration.subscription.maxInFlight = 3
        let capture = CapturingSink()
        let daemon = Daemon(
            configuration: configuration,
            parts: .init(subscription: broker, publisher: nil, handler: handler, store: store, table: InFlightTable(), totals: totals),
            signals: nil, clock: clock, logger: Logger(sink: capture, clock: clock))
        await broker.inner.publish((1...5).map { PubSubMessage.request($0) })
        async let exitCode = daemon.run()
        _ = try await restarter.started.take(3)
        failure.open()
        try await eventually { capture.lines.contains { $0.contains("A daemon task failed; shutting down gracefully.") } }
        release.open()
        #expect(await exitCode == 70)
        #expect(totals.snapshot.acked == 3, "in-flight work finished during the drain")
        #expect(capture.lines.contains { $0.contains("task=subscription") && $0.contains("BrokerLost") })
        #expect(capture.lines.last?.contains("Shutdown complete.") == true)
    }
}

/// A log sink that keeps every line.
final class CapturingSink: LogSink {
    private let storage = Mutex<[String]>([])
    func write(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
