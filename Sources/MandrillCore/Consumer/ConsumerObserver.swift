/// Receives the consumer's events for metrics and the run summary. Calls come from many
/// tasks at once and must be cheap.
public protocol ConsumerObserver: Sendable {
    /// A delivery was taken.
    func received()
    /// A delivery reached its final outcome after `handling` (receive → ack).
    func finished(_ outcome: FinalOutcome, handling: Duration)
    /// A restart attempt ended.
    func restarted(outcome: String, duration: Duration)
    /// A stage ended after `duration`.
    func stageEnded(_ stage: HandlingStage, duration: Duration)
    /// `count` leases were extended in one batch.
    func leasesExtended(count: Int, duration: Duration)
    /// The number of deliveries in hand changed.
    func inFlightChanged(_ count: Int)
}

/// How a delivery ended.
public enum FinalOutcome: Sendable, Equatable {
    /// Acked; the string says why (`restarted`, `duplicate`, `skipped`, `dry_run`, …).
    case acked(String)
    /// Returned for redelivery; the string is the reason.
    case nacked(String)
    /// Dead-lettered; the string is the reason.
    case deadLettered(String)
    /// Cancelled at the drain deadline and returned for redelivery.
    case abandoned(String)
}

/// An observer that ignores everything.
public struct NoConsumerObserver: ConsumerObserver {
    /// Creates the observer.
    public init() {}
    public func received() {}
    public func finished(_ outcome: FinalOutcome, handling: Duration) {}
    public func restarted(outcome: String, duration: Duration) {}
    public func stageEnded(_ stage: HandlingStage, duration: Duration) {}
    public func leasesExtended(count: Int, duration: Duration) {}
    public func inFlightChanged(_ count: Int) {}
}
