/// One event in a message's life, as the state store keeps it.
///
/// Every delivery produces `received`, then (unless it is a duplicate or malformed)
/// `restartStarted` and a restart outcome, then exactly one final record: `acked`,
/// `nacked`, `deadLettered` or `abandoned`.
public struct StateRecord: Sendable, Equatable {
    /// What happened.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// The consumer took a delivery.
        case received = 1
        /// A restart of `host` began (attempt `attempt` of the handler's retry loop).
        case restartStarted = 2
        /// The restart finished well.
        case restartSucceeded = 3
        /// The restart failed; `detail` is `retryable: …` or `permanent: …`.
        case restartFailed = 4
        /// Final: acked; `detail` is the outcome (`restarted`, `duplicate`, `skipped`, `dry_run`, …).
        case acked = 5
        /// Final: returned for redelivery; `detail` is the reason.
        case nacked = 6
        /// Final: dead-lettered; `detail` is the reason.
        case deadLettered = 7
        /// Final: cancelled at the drain deadline and nacked; `detail` is the stage it was in.
        case abandoned = 8
        /// A safety guard's decision; `detail` is `verdict: reason`.
        case decision = 9
        /// The shutdown manifest: `detail` lists `id=state` pairs for every message in hand.
        case manifest = 10
        /// Intake paused or resumed; `detail` says which and why.
        case intake = 11
    }

    /// Position in the journal, assigned by the store (0 until then).
    public var sequence: UInt64
    /// Wall-clock time of the event, seconds since the Unix epoch.
    public var time: Double
    /// What happened.
    public var kind: Kind
    /// The message concerned (`-` for records about no single message).
    public var messageID: MessageID
    /// The host concerned (`-` when none).
    public var host: String
    /// Delivery attempt of the message.
    public var attempt: Int
    /// Outcome or reason, see `Kind`.
    public var detail: String
    /// Duration of the step in seconds, where one applies (restart, handling), else 0.
    public var duration: Double

    /// Creates a record; the store assigns `sequence`.
    public init(
        sequence: UInt64 = 0, time: Double, kind: Kind, messageID: MessageID, host: String,
        attempt: Int, detail: String = "", duration: Double = 0
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.messageID = messageID
        self.host = host
        self.attempt = attempt
        self.detail = detail
        self.duration = duration
    }
}
