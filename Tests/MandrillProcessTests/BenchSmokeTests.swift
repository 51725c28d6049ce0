import Foundation
import Testing

/// Runs the built `mandrill-bench` in quick mode: every scenario prints one JSON line
/// with the standard fields, and the shutdown scenario accounts for every message.
/// Timing is never asserted here; speed is read from the bench's own output.
@Suite struct BenchSmokeTests {
    static let standardKeys = [
        "scenario", "messages", "seconds", "msgs_per_s", "p50_ms", "p99_ms", "peak_rss_kb", "ratio_to_baseline",
    ]

    @Test func quickBenchPrintsOneJSONLinePerScenarioAndLosesNoMessageOnShutdown() async throws {
        let scenarios = ["baseline", "throughput", "inflight", "shutdown"]
        let bench = try DaemonProcess(
            ["--quick"] + scenarios, executable: DaemonProcess.executable("mandrill-bench"))
        defer { bench.terminate() }
        let status = try await bench.waitForExit(timeout: .seconds(180))
        #expect(status == 0, "bench failed; stderr:\n\(bench.log.suffix(10).joined(separator: "\n"))")

        let lines = try await Self.outputLines(of: bench, count: scenarios.count)
        #expect(lines.count == scenarios.count)
        var byScenario: [String: [String: Any]] = [:]
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let fields = try #require(object, "not a JSON object: \(line)")
            for key in Self.standardKeys {
                #expect(fields[key] != nil, "\(key) missing in \(line)")
            }
            #expect(fields["error"] == nil, "scenario failed: \(line)")
            byScenario[fields["scenario"] as? String ?? ""] = fields
        }
        #expect(Set(byScenario.keys) == Set(scenarios))

        let shutdown = try #require(byScenario["shutdown"])
        #expect((shutdown["unaccounted"] as? NSNumber)?.intValue == 0)
        #expect((shutdown["received"] as? NSNumber)?.intValue == (shutdown["messages"] as? NSNumber)?.intValue)
        #expect(shutdown["shutdown_ms"] is NSNumber)
        let inflight = try #require(byScenario["inflight"])
        #expect(inflight["bytes_per_message"] is NSNumber)
        #expect((byScenario["throughput"]?["unaccounted"] as? NSNumber)?.intValue == 0)
    }

    /// `--runs 3`: one line per scenario, the median run's, with every run's headline number.
    @Test func repeatedRunsReportTheMedianRunWithEveryRunsNumber() async throws {
        let bench = try DaemonProcess(
            ["--quick", "--runs", "3", "baseline", "inflight"], executable: DaemonProcess.executable("mandrill-bench"))
        defer { bench.terminate() }
        let status = try await bench.waitForExit(timeout: .seconds(180))
        #expect(status == 0, "bench failed; stderr:\n\(bench.log.suffix(10).joined(separator: "\n"))")

        let lines = try await Self.outputLines(of: bench, count: 2)
        #expect(lines.count == 2)
        for (line, (key, higherIsBetter)) in zip(lines, [("msgs_per_s", true), ("seconds", false)]) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let fields = try #require(object, "not a JSON object: \(line)")
            #expect((fields["runs"] as? NSNumber)?.intValue == 3)
            let values = try #require((fields["\(key)_runs"] as? [NSNumber])?.map(\.doubleValue), "\(key)_runs in \(line)")
            #expect(values.count == 3)
            let reported = try #require((fields[key] as? NSNumber)?.doubleValue)
            let sorted = values.sorted(by: higherIsBetter ? (>) : (<))
            #expect(reported == sorted[1], "\(key) \(reported) is not the median of \(values)")
        }
        #expect(bench.log.contains { $0.contains("median of 3 runs") })
    }

    @Test func aBadRunCountExits64WithUsage() async throws {
        let bench = try DaemonProcess(["--runs", "0"], executable: DaemonProcess.executable("mandrill-bench"))
        defer { bench.terminate() }
        #expect(try await bench.waitForExit(timeout: .seconds(30)) == 64)
        #expect(bench.log.contains { $0.contains("usage: mandrill-bench") })
    }

    /// The bench's stdout lines, once `count` have arrived (the pipe reader may lag the exit).
    private static func outputLines(of bench: DaemonProcess, count: Int) async throws -> [String] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        var lines: [String] = []
        while ContinuousClock.now < deadline {
            lines = bench.output.split(separator: "\n").map(String.init)
            if lines.count >= count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return lines
    }
}
