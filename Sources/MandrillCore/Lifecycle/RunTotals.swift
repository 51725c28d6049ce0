import Synchronization

/// Counts of this run's deliveries by final outcome, for the shutdown summary line.
public final class RunTotals: ConsumerObserver {
    private let receivedCount = Atomic<Int>(0)
    private let ackedCount = Atomic<Int>(0)
    private let nackedCount = Atomic<Int>(0)
    private let deadLetteredCount = Atomic<Int>(0)
    private let abandonedCount = Atomic<Int>(0)
    private let duplicateCount = Atomic<Int>(0)

    /// Zero counts.
    public init() {}

    public func received() { receivedCount.add(1, ordering: .relaxed) }

    public func finished(_ outcome: FinalOutcome, handling: Duration) {
        switch outcome {
        case .acked(let why):
            ackedCount.add(1, ordering: .relaxed)
            if why == "duplicate" { duplicateCount.add(1, ordering: .relaxed) }
        case .nacked: nackedCount.add(1, ordering: .relaxed)
        case .deadLettered: deadLetteredCount.add(1, ordering: .relaxed)
        case .abandoned: abandonedCount.add(1, ordering: .relaxed)
        }
    }

    public func restarted(outcome: String, duration: Duration) {}
    public func stageEnded(_ stage: HandlingStage, duration: Duration) {}
    public func leasesExtended(count: Int, duration: Duration) {}
    public func inFlightChanged(_ count: Int) {}

    /// The counts: received, acked, nacked, dead-lettered, abandoned, duplicate.
    public var snapshot: (received: Int, acked: Int, nacked: Int, deadLettered: Int, abandoned: Int, duplicate: Int) {
        (
            receivedCount.load(ordering: .relaxed), ackedCount.load(ordering: .relaxed),
            nackedCount.load(ordering: .relaxed), deadLetteredCount.load(ordering: .relaxed),
            abandonedCount.load(ordering: .relaxed), duplicateCount.load(ordering: .relaxed)
        )
    }
}

/// Passes every event to several observers.
public struct ObserverChain: ConsumerObserver {
    private let observers: [any ConsumerObserver]

    /// Chains `observers` in order.
    public init(_ observers: [any ConsumerObserver]) {
        self.observers = observers
    }

    public func received() { for o in observers { o.received() } }
    public func finished(_ outcome: FinalOutcome, handling: Duration) { for o in observers { o.finished(outcome, handling: handling) } }
    public func restarted(outcome: String, duration: Duration) { for o in observers { o.restarted(outcome: outcome, duration: duration) } }
    public func stageEnded(_ stage: HandlingStage, duration: Duration) { for o in observers { o.stageEnded(stage, duration: duration) } }
    public func leasesExtended(count: Int, duration: Duration) { for o in observers { o.leasesExtended(count: count, duration: duration) } }
    public func inFlightChanged(_ count: Int) { for o in observers { o.inFlightChanged(count) } }
}
