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
    /// The in-process broker's ack id for this delivery (as Pub/Sub hands out one per
    /// delivery): where its lease is kept, and which grant it was. `.none` from other
    /// subscriptions.
    let ackID: AckID

    /// One lease grant of the in-process broker: its slot, and a serial no other grant
    /// gets, so that a late ack never settles whatever lease took the slot since (even
    /// another copy of the same message at the same attempt).
    struct AckID: Sendable, Equatable {
        let slot: Int
        let serial: UInt64

        /// Not granted by the in-process broker.
        static let none = AckID(slot: -1, serial: 0)
    }

    /// Creates a delivery.
    public init(id: MessageID, attempt: Int, payload: Payload, receivedAt: ContinuousClock.Instant = .now) {
        self.init(id: id, attempt: attempt, payload: payload, received: StoredInstant(receivedAt), ackID: .none)
    }

    init(id: MessageID, attempt: Int, payload: Payload, received: StoredInstant, ackID: AckID) {
        self.id = id
        self.attempt = attempt
        self.payload = payload
        self.received = received
        self.ackID = ackID
    }

    /// The hostname, or `-` for a malformed payload (for logs and records).
    public var hostname: String {
        if case .restart(let message) = payload { return message.hostname }
        return "-"
    }
}
