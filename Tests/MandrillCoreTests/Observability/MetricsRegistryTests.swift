import MandrillCore
import Testing

@Suite struct MetricsRegistryTests {
    @Test func everyFamilyHasOneHelpAndTypeLine() {
        let registry = MetricsRegistry()
        registry.counter("jobs_total", help: "Jobs.", labels: ["kind": "a"]).increment()
        registry.counter("jobs_total", help: "Jobs.", labels: ["kind": "b"]).increment()
        registry.gauge("queue_depth", help: "Depth.").set(3)
        _ = registry.histogram("wait_seconds", help: "Wait.", buckets: [1, 2])
        let text = registry.render()
        for name in ["jobs_total", "queue_depth", "wait_seconds"] {
            #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("# TYPE \(name) ") }.count == 1)
            #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("# HELP \(name) ") }.count == 1)
        }
    }

    @Test func everyCounterFamilyOfTheDaemonEndsInTotal() {
        let metrics = MandrillMetrics(version: "1.0.0")
        ProcessMetrics.register(in: metrics.registry)
        let counterLines = metrics.registry.render().split(separator: "\n").filter { $0.hasSuffix(" counter") }
        #expect(counterLines.count >= 8)
        for line in counterLines {
            #expect(line.split(separator: " ")[2].hasSuffix("_total"), "\(line)")
        }
    }

    @Test func histogramBucketsAreCumulativeAscendingAndEndAtCount() throws {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("op_seconds", help: "Op.", labels: ["op": "x"], buckets: [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 2, 20, 30] { histogram.observe(value) }
        let samples = PrometheusSamples(registry.render())
        let buckets = samples.lines.filter { $0.name == "op_seconds_bucket" }
        #expect(buckets.map { $0.labels["le"] } == ["0.1", "1", "10", "+Inf"])
        #expect(buckets.map(\.value) == [2, 3, 4, 6])
        #expect(buckets.allSatisfy { $0.labels["op"] == "x" })
        #expect(samples.value("op_seconds_count") == 6)
        let sum = try #require(samples.value("op_seconds_sum"))
        #expect(abs(sum - 52.65) < 1e-9)
    }

    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("odd_total", help: "Odd \\ help\nline.", labels: ["path": "a\\b\"c\nd"]).increment()
        let text = registry.render()
        #expect(text.contains(#"odd_total{path="a\\b\"c\nd"} 1"#))
        #expect(text.contains(#"# HELP odd_total Odd \\ help\nline."#))
    }

    @Test func concurrentIncrementsAreAllCounted() async {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("work_seconds", help: "Work.", buckets: Histogram.latencyBuckets)
        let gauge = registry.gauge("busy", help: "Busy.")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    // Looked up per task, as a caller would: the same series every time.
                    let counter = registry.counter("work_total", help: "Work.", labels: ["kind": "x"])
                    for _ in 0..<10_000 {
                        counter.increment()
                        gauge.increment()
                        histogram.observe(0.001)
                        gauge.decrement()
                    }
                }
            }
        }
        let samples = PrometheusSamples(registry.render())
        #expect(samples.value("work_total", ["kind": "x"]) == 80_000)
        #expect(samples.value("work_seconds_count") == 80_000)
        #expect(samples.value("work_seconds_bucket", ["le": "0.001"]) == 80_000)
        #expect(samples.value("busy") == 0)
    }

    @Test func renderingIsSortedAndStable() {
        let registry = MetricsRegistry()
        registry.gauge("b_gauge", help: "B.", labels: ["z": "1"]).set(1)
        registry.gauge("b_gauge", help: "B.", labels: ["a": "1"]).set(2)
        registry.counter("a_total", help: "A.").increment(by: 5)
        registry.registerCollector { [MetricFamily(name: "ab_gauge", help: "AB.", kind: .gauge, samples: [MetricSample(value: 0.25)])] }
        let text = registry.render()
        #expect(text == registry.render())
        let names = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != " " }) }
        #expect(names == ["a_total", "ab_gauge", "b_gauge{a=\"1\"}", "b_gauge{z=\"1\"}"])
        #expect(text.contains("ab_gauge 0.25\n"))
    }

    @Test func getOrCreateReturnsTheSameSeries() {
        let registry = MetricsRegistry()
        let first = registry.counter("hits_total", help: "Hits.", labels: ["a": "1", "b": "2"])
        let second = registry.counter("hits_total", help: "Hits.", labels: ["b": "2", "a": "1"])
        #expect(first === second)
    }
}
