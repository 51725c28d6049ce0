/// Turns consumer events into the `mandrill_` metrics: atomics only, no lock on the hot
/// path for the known label values.
public struct MetricsObserver: ConsumerObserver {
    private let metrics: MandrillMetrics
    private let heartbeat: Heartbeat?

    /// Reports into `metrics`; `heartbeat` is beaten on every finished message.
    public init(metrics: MandrillMetrics, heartbeat: Heartbeat? = nil) {
        self.metrics = metrics
        self.heartbeat = heartbeat
    }

    public func received() {
        metrics.messagesReceived.increment()
    }

    public func finished(_ outcome: FinalOutcome, handling: Duration) {
        switch outcome {
        case .acked(let why):
            metrics.messagesAcked.increment()
            if why == "duplicate" { metrics.messagesDuplicate.increment() }
        case .nacked(let reason):
            metrics.messagesNacked(reason: reason).increment()
        case .deadLettered:
            metrics.messagesDeadLettered.increment()
        case .abandoned:
            metrics.messagesNacked(reason: "abandoned").increment()
        }
        metrics.messageHandling.observe(handling)
        heartbeat?.beat()
    }

    public func restarted(outcome: String, duration: Duration) {
        metrics.restarts(outcome: outcome).increment()
        metrics.restartDuration.observe(duration)
    }

    public func stageEnded(_ stage: HandlingStage, duration: Duration) {
        switch stage {
        case .restart, .save, .ack: metrics.stageDuration(stage.rawValue).observe(duration)
        case .received, .waiting, .backoff: break
        }
    }

    public func leasesExtended(count: Int, duration: Duration) {
        metrics.leaseExtensions.increment(by: count)
        metrics.stageDuration("lease").observe(duration)
        heartbeat?.beat()
    }

    public func inFlightChanged(_ count: Int) {
        metrics.inflightMessages.set(Double(count))
    }
}
