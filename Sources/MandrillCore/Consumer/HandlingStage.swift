/// Where a message is in its handling, for the SIGUSR1 dump, debug logs and stage metrics.
public enum HandlingStage: String, Sendable, CaseIterable {
    /// Taken from the subscription; the received record is being saved.
    case received
    /// Waiting for a safety guard (rate limit, concurrency, another restart of the host).
    case waiting
    /// The restarter is running (the started record is saved at the same time).
    case restart
    /// Sleeping before the next restart attempt.
    case backoff
    /// Saving the outcome record.
    case save
    /// Acking, nacking or dead-lettering.
    case ack
}
