import Synchronization
@testable import MandrillCore

/// A subscription fake that records what the consumer did with each delivery. The test
/// feeds deliveries with `send`.
final class RecordingSubscription: Subscription {
    private struct Log {
        var acked: [Delivery] = []
        var nacked: [(delivery: Delivery, delay: Duration)] = []
        var deadLettered: [(delivery: Delivery, reason: String)] = []
        var extensions: [[MessageID]] = []
        var credits = 0
        var paused: [Bool] = []
    }

    let deliveries: AsyncStream<[Delivery]>
    private let continuation: AsyncStream<[Delivery]>.Continuation
    private let log = Mutex(Log())
    /// Yields the size of each lease-extension batch.
    let extensionBatches: AsyncStream<Int>
    private let extensionContinuation: AsyncStream<Int>.Continuation

    init() {
        (deliveries, continuation) = AsyncStream.makeStream(of: [Delivery].self)
        (extensionBatches, extensionContinuation) = AsyncStream.makeStream(of: Int.self)
    }

    func send(_ delivery: Delivery) { continuation.yield([delivery]) }
    func request(_ count: Int) { log.withLock { $0.credits += count } }
    func run() async throws {}
    func stopIntake() { continuation.finish() }
    func setIntakePaused(_ paused: Bool) { log.withLock { $0.paused.append(paused) } }
    func ack(_ delivery: Delivery) { log.withLock { $0.acked.append(delivery) } }
    func nack(_ delivery: Delivery, delay: Duration) { log.withLock { $0.nacked.append((delivery, delay)) } }
    func deadLetter(_ delivery: Delivery, reason: String) { log.withLock { $0.deadLettered.append((delivery, reason)) } }

    func extendLeases(_ deliveries: [Delivery], by duration: Duration) async {
        log.withLock { $0.extensions.append(deliveries.map(\.id)) }
        extensionContinuation.yield(deliveries.count)
    }

    var isReady: Bool { true }
    func close() async {}

    var acked: [Delivery] { log.withLock { $0.acked } }
    var nacked: [(delivery: Delivery, delay: Duration)] { log.withLock { $0.nacked } }
    var deadLettered: [(delivery: Delivery, reason: String)] { log.withLock { $0.deadLettered } }
    var extensions: [[MessageID]] { log.withLock { $0.extensions } }
    var credits: Int { log.withLock { $0.credits } }
    var pauses: [Bool] { log.withLock { $0.paused } }
}
