/// One metric family computed at scrape time by a collector (see
/// `MetricsRegistry.registerCollector(_:)`). Sendable value type.
public struct MetricFamily: Sendable, Equatable {
    /// The Prometheus type a collector may report.
    public enum Kind: String, Sendable {
        /// Only goes up; the name must end in `_total`.
        case counter
        /// Goes up and down.
        case gauge
    }

    /// Metric name, for example `process_open_fds`.
    public let name: String
    /// One-line description for `# HELP`.
    public let help: String
    /// Counter or gauge.
    public let kind: Kind
    /// The series of the family; most families have one.
    public let samples: [MetricSample]

    /// Creates a family.
    public init(name: String, help: String, kind: Kind, samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }
}

/// One series value inside a `MetricFamily`. Sendable value type.
public struct MetricSample: Sendable, Equatable {
    /// Label names to values.
    public let labels: [String: String]
    /// The value.
    public let value: Double

    /// Creates a sample.
    public init(labels: [String: String] = [:], value: Double) {
        self.labels = labels
        self.value = value
    }
}
