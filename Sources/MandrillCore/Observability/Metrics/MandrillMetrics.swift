/// The daemon's metrics, as named handles in one registry, all prefixed `mandrill_`.
///
/// Sendable: every stored property is an immutable reference to a lock-free handle or a
/// `LabelledHandles` table. Labelled lookups for the known values (`nackReasons`,
/// `restartOutcomes`, `stages`) read an immutable dictionary; other values fall back to
/// the registry's locked get-or-create, so pass only a small fixed set of values.
public final class MandrillMetrics: Sendable {
    /// Nack reasons created up front, so they show as zero before the first nack.
    public static let nackReasons = [
        "restart_failed", "state_unavailable", "lease_expired", "shutdown_unstarted", "deferred", "abandoned",
    ]
    /// Restart outcomes created up front.
    public static let restartOutcomes = ["succeeded", "retryable_failure", "permanent_failure", "dry_run"]
    /// Handler stages created up front.
    public static let stages = ["restart", "save", "ack", "lease"]

    /// The registry holding these metrics; render it for `/metrics`.
    public let registry: MetricsRegistry
    /// `mandrill_messages_received_total`: deliveries taken from the subscription.
    public let messagesReceived: Counter
    /// `mandrill_messages_acked_total`: deliveries acked.
    public let messagesAcked: Counter
    /// `mandrill_messages_dead_lettered_total`: deliveries dead-lettered.
    public let messagesDeadLettered: Counter
    /// `mandrill_messages_duplicate_total`: redeliveries of already finished messages.
    public let messagesDuplicate: Counter
    /// `mandrill_lease_extensions_total`: lease extensions sent.
    public let leaseExtensions: Counter
    /// `mandrill_inflight_messages`: deliveries in hand now.
    public let inflightMessages: Gauge
    /// `mandrill_restart_duration_seconds`: time per restart (restart buckets).
    public let restartDuration: Histogram
    /// `mandrill_message_handling_seconds`: receive to final outcome (latency buckets).
    public let messageHandling: Histogram
    /// `mandrill_journal_fsync_seconds`: time per journal fsync (latency buckets).
    public let journalFsync: Histogram
    /// `mandrill_build_info{version}`: always 1; the label carries the version.
    public let buildInfo: Gauge

    private let nackedByReason: LabelledHandles<Counter>
    private let restartsByOutcome: LabelledHandles<Counter>
    private let stageDurationByStage: LabelledHandles<Histogram>

    /// Registers every daemon metric in `registry`; `version` labels `mandrill_build_info`.
    public init(registry: MetricsRegistry = MetricsRegistry(), version: String) {
        self.registry = registry
        messagesReceived = registry.counter(
            "mandrill_messages_received_total", help: "Deliveries taken from the subscription.")
        messagesAcked = registry.counter("mandrill_messages_acked_total", help: "Deliveries acked.")
        messagesDeadLettered = registry.counter(
            "mandrill_messages_dead_lettered_total", help: "Deliveries dead-lettered.")
        messagesDuplicate = registry.counter(
            "mandrill_messages_duplicate_total", help: "Redeliveries of messages already finished, acked without a restart.")
        leaseExtensions = registry.counter("mandrill_lease_extensions_total", help: "Lease extensions sent.")
        inflightMessages = registry.gauge("mandrill_inflight_messages", help: "Deliveries in hand.")
        restartDuration = registry.histogram(
            "mandrill_restart_duration_seconds", help: "Time taken by one host restart.",
            buckets: Histogram.restartBuckets)
        messageHandling = registry.histogram(
            "mandrill_message_handling_seconds", help: "Time from receiving a delivery to its final outcome.",
            buckets: Histogram.latencyBuckets)
        journalFsync = registry.histogram(
            "mandrill_journal_fsync_seconds", help: "Time taken by one journal fsync.",
            buckets: Histogram.latencyBuckets)
        buildInfo = registry.gauge(
            "mandrill_build_info", help: "Always 1; the version label names the running build.",
            labels: ["version": version])
        buildInfo.set(1)
        nackedByReason = LabelledHandles(label: "reason", known: Self.nackReasons) { labels in
            registry.counter("mandrill_messages_nacked_total", help: "Deliveries returned for redelivery.", labels: labels)
        }
        restartsByOutcome = LabelledHandles(label: "outcome", known: Self.restartOutcomes) { labels in
            registry.counter("mandrill_restarts_total", help: "Host restarts finished, by outcome.", labels: labels)
        }
        stageDurationByStage = LabelledHandles(label: "stage", known: Self.stages) { labels in
            registry.histogram(
                "mandrill_stage_duration_seconds", help: "Time spent in one handler stage.",
                labels: labels, buckets: Histogram.latencyBuckets)
        }
    }

    /// `mandrill_messages_nacked_total{reason}`.
    public func messagesNacked(reason: String) -> Counter {
        nackedByReason[reason]
    }

    /// `mandrill_restarts_total{outcome}`.
    public func restarts(outcome: String) -> Counter {
        restartsByOutcome[outcome]
    }

    /// `mandrill_stage_duration_seconds{stage}`.
    public func stageDuration(_ stage: String) -> Histogram {
        stageDurationByStage[stage]
    }
}
