/// One delivery of a message to this consumer: the message (or why it could not be read)
/// and how many times the subscription has delivered it.
public struct Delivery: Sendable {
    /// What the delivery carries.
    public enum Payload: Sendable, Equatable {
        /// A well-formed restart request.
        case restart(PubSubMessage)
        /// A payload that could not be read as a restart request; it is dead-lettered.
        case malformed(reason: String)
    }

    /// Broker-assigned id (also the ack id).
    public let id: MessageID
    /// Delivery count, starting at 1 for the first delivery.
    public let attempt: Int
    /// The request, or why there is none.
    public let payload: Payload
    /// `ContinuousClock` reading when the subscription handed the delivery out, for
    /// receive-to-ack timing.
    public var receivedAt: ContinuousClock.Instant { received.instant }
    /// `receivedAt`, stored in a fixed layout so that copies of a delivery are plain.
    let received: StoredInstant
    /// Where the in-process broker keeps this delivery's lease (its ack id, as Pub/Sub
    /// hands out one per delivery); -1 from other subscriptions.
    let leaseSlot: Int

    /// Creates a delivery.
    public init(id: MessageID, attempt: Int, payload: Payload, receivedAt: ContinuousClock.Instant = .now) {
        self.init(id: id, attempt: attempt, payload: payload, received: StoredInstant(receivedAt), leaseSlot: -1)
    }

    init(id: MessageID, attempt: Int, payload: Payload, received: StoredInstant, leaseSlot: Int) {
        self.id = id
        self.attempt = attempt
        self.payload = payload
        self.received = received
        self.leaseSlot = leaseSlot
    }

    /// The hostname, or `-` for a malformed payload (for logs and records).
    public var hostname: String {
        if case .restart(let message) = payload { return message.hostname }
        return "-"
    }
}
