/// The scenarios the bench knows, with their message counts.
///
/// Sendable: a plain enum.
enum ScenarioName: String, Sendable, CaseIterable {
    /// A bare AsyncStream + task group with no pipeline: the practical ceiling.
    case baseline
    /// The real pipeline, unthrottled, zero restart latency, in-memory state.
    case throughput
    /// The same with the journal (fsync per batch) on disk.
    case throughputJournal = "throughput-journal"
    /// Every message held at once during a 1 s restart: wall time and memory per message.
    case inflight
    /// Graceful shutdown of slow in-flight messages against a 1 s drain deadline.
    case shutdown
    /// End to end through a local redis-server.
    case redis

    var defaultMessages: Int {
        switch self {
        case .baseline, .throughput, .throughputJournal: 1_000_000
        case .inflight: 100_000
        case .shutdown: 10_000
        case .redis: 200_000
        }
    }

    /// The number the scenario is judged by, and whether more is better: with `--runs`,
    /// the run with the median of it is the one reported.
    var headline: (key: String, higherIsBetter: Bool) {
        switch self {
        case .baseline, .throughput, .throughputJournal, .redis: ("msgs_per_s", true)
        case .inflight: ("seconds", false)
        case .shutdown: ("shutdown_ms", false)
        }
    }

    var quickMessages: Int {
        switch self {
        case .baseline, .throughput, .throughputJournal: 20_000
        case .inflight: 2_000
        case .shutdown: 500
        case .redis: 2_000
        }
    }
}
