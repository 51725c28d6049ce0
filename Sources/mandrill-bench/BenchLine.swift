import Foundation
import MandrillCore

/// One JSON line of output: the common fields first, in a fixed order, then the
/// scenario's own.
///
/// Sendable: plain values.
struct BenchLine: Sendable {
    /// A JSON value the line can hold.
    enum Value: Sendable {
        case int(Int)
        case number(Double)
        case text(String)
        case bool(Bool)
        case null

        /// A number, or null when there is none (no samples) or it is not finite.
        static func number(_ value: Double?) -> Value {
            guard let value, value.isFinite else { return .null }
            return .number(value)
        }
    }

    private(set) var fields: [(String, Value)] = []

    /// A line holding only `scenario`.
    init(scenario: ScenarioName) {
        fields = [("scenario", .text(scenario.rawValue))]
    }

    /// The standard line: count, time, rate, publish → ack percentiles, peak RSS, ratio.
    init(
        scenario: ScenarioName, messages: Int, seconds: Double, latency: LatencyHistogram, baselineRate: Double?
    ) {
        self.init(scenario: scenario)
        let rate = seconds > 0 ? Double(messages) / seconds : 0
        self["messages"] = .int(messages)
        self["seconds"] = .number(seconds)
        self["msgs_per_s"] = .number(rate.rounded())
        self["p50_ms"] = .number(latency.percentileMilliseconds(0.50))
        self["p99_ms"] = .number(latency.percentileMilliseconds(0.99))
        self["peak_rss_kb"] = .number(ProcessMemory.peakResidentKilobytes.map(Double.init))
        self["ratio_to_baseline"] = .number(baselineRate.map { rate / $0 })
    }

    /// Sets a field, replacing one of the same name in place.
    subscript(key: String) -> Value? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            let value = newValue ?? .null
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                fields[index].1 = value
            } else {
                fields.append((key, value))
            }
        }
    }

    /// The line as compact JSON, keys in insertion order.
    var json: String {
        "{" + fields.map { "\(JSONText.quoted($0.0)):\(Self.render($0.1))" }.joined(separator: ",") + "}"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .int(let number): String(number)
        case .number(let number):
            // Integral values print without a fraction; others keep four decimals.
            number == number.rounded() && abs(number) < 1e15
                ? String(Int64(number)) : String(format: "%.4f", number)
        case .text(let text): JSONText.quoted(text)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }
}
