import Synchronization

/// Get-or-create store of counters, gauges and histograms, rendered as Prometheus text.
///
/// Sendable: the families live behind a `Mutex` taken only to look up or create a
/// series and to copy the list at scrape time. The handles it returns are lock-free, so
/// hot paths keep them (see `MandrillMetrics`) instead of looking them up per event.
public final class MetricsRegistry: Sendable {
    /// Computes families at scrape time, for example process metrics from `/proc`.
    public typealias Collector = @Sendable () -> [MetricFamily]

    let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// The counter `name` with `labels`, created on first use; `name` must end in `_total`.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        precondition(name.hasSuffix("_total"), "counter name \(name) must end in _total")
        guard case .counter(let counter) = series(name, help: help, kind: .counter, labels: labels, make: {
            .counter(Counter())
        }) else { preconditionFailure("unreachable: kind checked") }
        return counter
    }

    /// The gauge `name` with `labels`, created on first use.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        guard case .gauge(let gauge) = series(name, help: help, kind: .gauge, labels: labels, make: {
            .gauge(Gauge())
        }) else { preconditionFailure("unreachable: kind checked") }
        return gauge
    }

    /// The histogram `name` with `labels`, created on first use with `buckets` (every
    /// series of one family must use the same buckets).
    public func histogram(
        _ name: String, help: String, labels: [String: String] = [:], buckets: [Double]
    ) -> Histogram {
        precondition(labels["le"] == nil, "histogram \(name) cannot use the label le")
        let made = Histogram(buckets: buckets)
        guard case .histogram(let histogram) = series(
            name, help: help, kind: .histogram(made.upperBounds), labels: labels, make: { .histogram(made) }
        ) else { preconditionFailure("unreachable: kind checked") }
        return histogram
    }

    /// Adds a collector whose families are rendered, in name order with the rest, at every scrape.
    public func registerCollector(_ collector: @escaping Collector) {
        state.withLock { $0.collectors.append(collector) }
    }

    private func series(
        _ name: String, help: String, kind: State.Kind, labels: [String: String],
        make: () -> State.Series
    ) -> State.Series {
        precondition(PrometheusTextFormat.isValidMetricName(name), "invalid metric name \(name)")
        precondition(labels.keys.allSatisfy(PrometheusTextFormat.isValidLabelName),
                     "invalid label name in \(labels.keys.sorted()) of \(name)")
        let key = PrometheusTextFormat.labelBody(labels)
        return state.withLock { state in
            if state.families[name] == nil {
                state.families[name] = State.Family(help: help, kind: kind, series: [:])
            }
            precondition(state.families[name]?.kind == kind,
                         "metric \(name) registered again with another type or buckets")
            if let existing = state.families[name]?.series[key] { return existing }
            let created = make()
            state.families[name]?.series[key] = created
            return created
        }
    }
}

extension MetricsRegistry {
    /// What the lock guards.
    struct State {
        /// The type of a registered family; histograms carry their bounds.
        enum Kind: Equatable {
            case counter
            case gauge
            case histogram([Double])
        }

        /// One lock-free handle.
        enum Series {
            case counter(Counter)
            case gauge(Gauge)
            case histogram(Histogram)
        }

        /// A family: one `# HELP`/`# TYPE` pair and its series keyed by rendered labels.
        struct Family {
            let help: String
            let kind: Kind
            var series: [String: Series]
        }

        var families: [String: Family] = [:]
        var collectors: [Collector] = []
    }
}
