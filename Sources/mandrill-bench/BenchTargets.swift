import Foundation

/// The targets each scenario is compared against, for the human summary on stderr. They
/// are reported, never asserted.
enum BenchTargets {
    /// One line saying how a scenario's result compares with its targets (and, for the
    /// median of several runs, their range).
    static func summary(of fields: [String: Any]) -> String? {
        guard let name = fields["scenario"] as? String, let scenario = ScenarioName(rawValue: name) else { return nil }
        guard let verdict = verdict(of: fields, scenario: scenario) else { return nil }
        let key = scenario.headline.key
        guard let runs = fields["runs"] as? Int, let values = fields["\(key)_runs"] as? [Double], let low = values.min(),
            let high = values.max()
        else { return verdict }
        let range = "\(BenchLine.render(.number(low)))–\(BenchLine.render(.number(high)))"
        return verdict + " (median of \(runs) runs; \(key) \(range))"
    }

    private static func verdict(of fields: [String: Any], scenario: ScenarioName) -> String? {
        let name = scenario.rawValue
        if let error = fields["error"] as? String { return "\(name): FAILED: \(error)" }
        if let skipped = fields["skipped"] as? String { return "\(name): skipped (\(skipped))" }
        let rate = number(fields["msgs_per_s"]) ?? 0
        let ratio = number(fields["ratio_to_baseline"])
        let ratioText = ratio.map { "\(Int(($0 * 100).rounded()))% of baseline" } ?? "no baseline"
        switch scenario {
        case .baseline:
            return "baseline: \(Int(rate)) msgs/s (the ceiling)"
        case .throughput:
            return "throughput: \(Int(rate)) msgs/s, \(ratioText) — target ≥ 300000 and ≥ 60%: "
                + verdict(rate >= 300_000 && (ratio ?? 0) >= 0.6)
        case .throughputJournal:
            return "throughput-journal: \(Int(rate)) msgs/s, \(ratioText) — target ≥ 150000: " + verdict(rate >= 150_000)
        case .inflight:
            let seconds = number(fields["seconds"]) ?? .infinity
            let bytes = number(fields["bytes_per_message"]) ?? .infinity
            return "inflight: \(seconds) s wall, \(Int(bytes)) bytes per message — target ≤ 1.3 s and ≤ 4096 B: "
                + verdict(seconds <= 1.3 && bytes <= 4096)
        case .shutdown:
            let shutdownMs = number(fields["shutdown_ms"]) ?? .infinity
            let deadline = number(fields["drain_deadline_ms"]) ?? 0
            let unaccounted = number(fields["unaccounted"]) ?? -1
            return "shutdown: \(shutdownMs) ms, \(Int(unaccounted)) unaccounted — target ≤ \(Int(deadline + 100)) ms, 0: "
                + verdict(shutdownMs <= deadline + 100 && unaccounted == 0)
        case .redis:
            return "redis: \(Int(rate)) msgs/s, \(ratioText)"
        }
    }

    private static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    private static func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
}
