/// A source of deliveries with lease semantics: what the consumer pulls from, whether the
/// in-process broker or a Redis Streams consumer group.
///
/// Flow control is by credits: the subscription hands out a delivery only after the
/// consumer `request`ed one, so at most `maxInFlight` deliveries are ever in hand.
/// `ack`, `nack` and `deadLetter` never block the caller: a subscription that talks to a
/// server queues them and sends them in batches.
public protocol Subscription: Sendable {
    /// Deliveries in order, in the batches they were handed out in (never empty): one
    /// stream element per hand-out, not per message, keeps the stream off the hot path.
    /// It finishes after `stopIntake()`; one consumer iterates it.
    var deliveries: AsyncStream<[Delivery]> { get }
    /// Allows `count` more deliveries to be handed out.
    func request(_ count: Int)
    /// Runs the background work (lease expiry, redelivery timers, reading from the server)
    /// until the task is cancelled.
    func run() async throws
    /// Stops handing out deliveries and finishes `deliveries`; in-hand ones stay valid.
    func stopIntake()
    /// Pauses or resumes handing out deliveries (the brake and the operator's pause).
    func setIntakePaused(_ paused: Bool)
    /// The message is done: remove it.
    func ack(_ delivery: Delivery)
    /// Give the message back for redelivery after `delay`.
    func nack(_ delivery: Delivery, delay: Duration)
    /// Move the message to the dead-letter destination with `reason`, then remove it.
    func deadLetter(_ delivery: Delivery, reason: String)
    /// Extends the leases of all `deliveries` to `duration` from now, in one batch.
    func extendLeases(_ deliveries: [Delivery], by duration: Duration) async
    /// Whether the subscription is connected and handing out work (for `/readyz`).
    var isReady: Bool { get }
    /// Sends what is queued (acks, nacks) and releases connections.
    func close() async
}
