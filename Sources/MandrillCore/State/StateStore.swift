/// Where the daemon records what happened to every message.
///
/// `append` returns once the records are as durable as the store promises (for the
/// journal: after the group-commit fsync, per `state.fsync`). The consumer acks a message
/// only after its outcome record was appended.
public protocol StateStore: Sendable {
    /// Appends records in order; returns when they, and every record appended or written
    /// behind before them, are durable.
    func append(_ records: [StateRecord]) async throws
    /// Queues records in order without waiting for them to be durable: the next `append`
    /// covers them. The handler writes `received` and `restartStarted` this way, so the
    /// journal saves them while the restart runs and a message costs one durable wait.
    /// Throws when the store cannot take records at all (failed or closed).
    func appendBehind(_ records: [StateRecord]) throws
    /// `appendBehind` for one record: the handler's two writes behind per message skip
    /// building a one-element array each (a default implementation wraps it in one).
    func appendBehind(_ record: StateRecord) throws
    /// The recovered and live view: finished ids, in-doubt messages, last restarts, totals.
    func snapshot() -> StateIndex
    /// Whether a message id already reached a final acked or dead-lettered outcome.
    func isFinished(_ id: MessageID) -> Bool
    /// Whether the message's restart started without a recorded outcome before a crash.
    func isInDoubt(_ id: MessageID) -> Bool
    /// When `host` was last restarted successfully, in seconds since the epoch.
    func lastRestart(of host: String) -> Double?
    /// Makes everything appended so far durable and releases files.
    func close() async throws
}

extension StateStore {
    public func appendBehind(_ record: StateRecord) throws {
        try appendBehind([record])
    }
}
