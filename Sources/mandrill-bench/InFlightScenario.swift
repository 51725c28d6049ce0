import MandrillCore

/// Every message in hand at once: N deliveries (maxInFlight N) whose restarts each take
/// one second. Ideal wall time is one second; memory per in-flight message is the peak
/// RSS growth divided by N.
enum InFlightScenario {
    static let restartLatencyMs = 1_000

    static func run(_ options: BenchOptions) async -> BenchLine {
        let count = options.messageCount(for: .inflight)
        let feed = InProcessFeed(messages: count, maxInFlight: count)
        let rig = feed.rig(store: InMemoryStateStore(keepRecords: false, reservingInFlight: count), settings: .init(
            maxInFlight: count, maxMessages: count, restartLatencyMs: restartLatencyMs,
            recordLatency: options.recordLatency))
        let residentBefore = ProcessMemory.residentKilobytes
        let outcome = await rig.run()
        var line = BenchLine(
            scenario: .inflight, messages: count, seconds: outcome.seconds,
            latency: outcome.subscription.publishToAck, baselineRate: options.baselineRate)
        line["ideal_seconds"] = .number(Double(restartLatencyMs) / 1000)
        line["rss_before_kb"] = .number(residentBefore.map(Double.init))
        if let before = residentBefore, let peak = ProcessMemory.peakResidentKilobytes {
            line["bytes_per_message"] = .number((Double((peak - before) * 1024) / Double(count)).rounded())
        } else {
            line["bytes_per_message"] = .null
        }
        line["handling_p50_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.50))
        line["handling_p99_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.99))
        line["acked"] = .int(outcome.totals.acked)
        line["unaccounted"] = .int(outcome.unaccounted)
        return line
    }
}
