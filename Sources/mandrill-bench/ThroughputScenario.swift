import Foundation
import MandrillCore

/// The real pipeline flat out: an unthrottled publisher, restarts that take no time,
/// 1,000 in flight, state in memory or in the journal (fsync per batch).
enum ThroughputScenario {
    static let maxInFlight = 1_000

    static func run(_ options: BenchOptions, journal: Bool) async throws -> BenchLine {
        let scenario: ScenarioName = journal ? .throughputJournal : .throughput
        let count = options.messageCount(for: scenario)
        let directory = journal ? try BenchStateDirectory() : nil
        defer { directory?.remove() }
        // Both sized for the in-flight limit, as the daemon sizes its store.
        let store: any StateStore = try await directory?.openJournal(fsync: .batch, maxInFlight: maxInFlight)
            ?? InMemoryStateStore(keepRecords: false, reservingInFlight: maxInFlight)
        let feed = InProcessFeed(messages: count, maxInFlight: maxInFlight)
        let outcome = await feed.rig(store: store, settings: .init(
            maxInFlight: maxInFlight, maxMessages: count, restartLatencyMs: 0, recordLatency: options.recordLatency)
        ).run()
        var line = BenchLine(
            scenario: scenario, messages: count, seconds: outcome.seconds,
            latency: outcome.subscription.publishToAck, baselineRate: options.baselineRate)
        line["handling_p50_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.50))
        line["handling_p99_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.99))
        line["max_in_flight"] = .int(maxInFlight)
        line["store"] = .text(journal ? "journal" : "memory")
        if journal {
            line["fsync"] = .text("batch")
            line["journal_bytes"] = directory.map { .int($0.sizeInBytes) }
        }
        line["acked"] = .int(outcome.totals.acked)
        line["unaccounted"] = .int(outcome.unaccounted)
        return line
    }
}
