extension MetricsRegistry {
    /// Every family in Prometheus text exposition format 0.0.4, families sorted by name
    /// and series by labels, so two scrapes of an idle process are byte-identical.
    public func render() -> String {
        // Copy under the lock, read atomics and run collectors outside it.
        let (families, collectors) = state.withLock { ($0.families, $0.collectors) }
        var blocks: [(name: String, text: String)] = families.map { name, family in
            (name, Self.render(name: name, family: family))
        }
        for collect in collectors {
            for family in collect() {
                blocks.append((family.name, Self.render(family)))
            }
        }
        // Enumerated so that equal names keep registration order (sort is not stable by contract).
        return blocks.enumerated()
            .sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
            .map(\.element.text)
            .joined()
    }

    private static func header(_ name: String, help: String, type: String) -> String {
        "# HELP \(name) \(PrometheusTextFormat.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    private static func render(name: String, family: State.Family) -> String {
        let type: String
        switch family.kind {
        case .counter: type = "counter"
        case .gauge: type = "gauge"
        case .histogram: type = "histogram"
        }
        var text = header(name, help: family.help, type: type)
        for (labels, series) in family.series.sorted(by: { $0.key < $1.key }) {
            switch series {
            case .counter(let counter):
                text += "\(name)\(PrometheusTextFormat.braced(labels)) \(counter.value)\n"
            case .gauge(let gauge):
                text += "\(name)\(PrometheusTextFormat.braced(labels)) \(PrometheusTextFormat.formatValue(gauge.value))\n"
            case .histogram(let histogram):
                text += render(name: name, labels: labels, snapshot: histogram.snapshot())
            }
        }
        return text
    }

    private static func render(name: String, labels: String, snapshot: HistogramSnapshot) -> String {
        let prefix = labels.isEmpty ? "" : labels + ","
        var text = ""
        let bounds = snapshot.upperBounds.map(PrometheusTextFormat.formatValue) + ["+Inf"]
        for (bound, count) in zip(bounds, snapshot.cumulativeCounts) {
            text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(count)\n"
        }
        let braced = PrometheusTextFormat.braced(labels)
        text += "\(name)_sum\(braced) \(PrometheusTextFormat.formatValue(snapshot.sum))\n"
        text += "\(name)_count\(braced) \(snapshot.count)\n"
        return text
    }

    private static func render(_ family: MetricFamily) -> String {
        var text = header(family.name, help: family.help, type: family.kind.rawValue)
        let samples = family.samples.map { (PrometheusTextFormat.labelBody($0.labels), $0.value) }
        for (labels, value) in samples.sorted(by: { $0.0 < $1.0 }) {
            text += "\(family.name)\(PrometheusTextFormat.braced(labels)) \(PrometheusTextFormat.formatValue(value))\n"
        }
        return text
    }
}
