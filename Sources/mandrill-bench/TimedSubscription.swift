import MandrillCore

/// Passes everything through to a subscription and, on each ack, records publish → ack
/// (from the message's wall-clock `publishTime`) and receive → ack (from the delivery's
/// monotonic `receivedAt`) latencies.
///
/// Sendable: the wrapped subscription and the histograms are.
struct TimedSubscription<Inner: Subscription>: Subscription {
    let inner: Inner
    /// Publish → ack, the end-to-end latency.
    let publishToAck = LatencyHistogram()
    /// Receive → ack, the pipeline's own handling time.
    let receiveToAck = LatencyHistogram()
    /// Off for `--no-latency`.
    let recording: Bool

    init(_ inner: Inner, recording: Bool = true) {
        self.inner = inner
        self.recording = recording
    }

    var deliveries: AsyncStream<[Delivery]> { inner.deliveries }
    func request(_ count: Int) { inner.request(count) }
    func run() async throws { try await inner.run() }
    func stopIntake() { inner.stopIntake() }
    func setIntakePaused(_ paused: Bool) { inner.setIntakePaused(paused) }
    func nack(_ delivery: Delivery, delay: Duration) { inner.nack(delivery, delay: delay) }
    func deadLetter(_ delivery: Delivery, reason: String) { inner.deadLetter(delivery, reason: reason) }
    func extendLeases(_ deliveries: [Delivery], by duration: Duration) async {
        await inner.extendLeases(deliveries, by: duration)
    }
    var isReady: Bool { inner.isReady }
    func close() async { await inner.close() }

    func ack(_ delivery: Delivery) {
        inner.ack(delivery)
        guard recording else { return }
        receiveToAck.record(delivery.receivedAt.duration(to: .now))
        if case .restart(let message) = delivery.payload {
            let seconds = max(0, SystemClock.wallTime() - message.publishTime)
            publishToAck.record(microseconds: UInt64(seconds * 1_000_000))
        }
    }
}
