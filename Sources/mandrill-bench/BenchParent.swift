import Foundation
import Synchronization

/// Runs each requested scenario in a fresh child process of this binary, so that each
/// one's peak RSS is its own, and prints the children's lines in order. The baseline
/// runs first whenever another scenario needs its rate for `ratio_to_baseline`.
///
/// With `--runs N` every scenario runs N times, in N rounds, and the line printed for each
/// is its median run's (by the scenario's headline number; of an even count, the worse of
/// the middle two), extended with `runs` and every run's headline number. Each run's
/// `ratio_to_baseline` is against the baseline of its own round.
///
/// Runs synchronously on the main thread: its waits are for child processes.
struct BenchParent {
    let options: BenchOptions

    /// A child's result: its JSON line and the fields parsed from it.
    private struct ChildResult {
        var line: String
        var fields: [String: Any]
        var succeeded: Bool
    }

    /// Runs every scenario; returns 0, or 70 when any child failed.
    func run() -> Int32 {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            hint("cannot find this executable through /proc/self/exe")
            return 70
        }
        let wanted = options.scenarios
        // In rounds, each running every scenario once: a slow spell of a shared machine
        // (they last minutes here) then falls on one run of each scenario rather than on
        // every run of one. With one round, each line is printed as soon as it is ready.
        let order = (wanted.contains { $0 != .redis } ? [ScenarioName.baseline] : []) + wanted.filter { $0 != .baseline }
        var results: [ScenarioName: [ChildResult]] = [:]
        for round in 1...options.runs {
            var baselineRate: Double?
            for scenario in order {
                let count = options.runs > 1 ? ", round \(round) of \(options.runs)" : ""
                hint("running \(scenario.rawValue) (\(options.messageCount(for: scenario)) messages\(count))…")
                let result = runChild(scenario, executable: executable, baselineRate: baselineRate)
                if scenario == .baseline { baselineRate = (result.fields["msgs_per_s"] as? NSNumber)?.doubleValue }
                results[scenario, default: []].append(result)
                if options.runs == 1 && wanted.contains(scenario) { emit(result) }
            }
        }
        var failed = false
        for scenario in order {
            let runs = results[scenario] ?? []
            failed = failed || runs.contains { !$0.succeeded }
            if options.runs > 1 && wanted.contains(scenario) { emit(Self.median(of: runs, scenario: scenario)) }
        }
        return failed ? 70 : 0
    }

    private func emit(_ result: ChildResult) {
        // Unbuffered, so a reader sees each line as soon as its scenario ends.
        FileHandle.standardOutput.write(Data((result.line + "\n").utf8))
        if let summary = BenchTargets.summary(of: result.fields) { hint(summary) }
    }

    /// The one run of a scenario; of several, the first that failed, or the median run by
    /// the headline number with every run's number added (runs without one, such as a
    /// skipped `redis`, leave the first run's line as it is).
    private static func median(of results: [ChildResult], scenario: ScenarioName) -> ChildResult {
        guard results.count > 1 else { return results[0] }
        if let failed = results.first(where: { !$0.succeeded }) { return failed }
        let (key, higherIsBetter) = scenario.headline
        let values = results.compactMap { ($0.fields[key] as? NSNumber)?.doubleValue }
        guard values.count == results.count else { return results[0] }
        let order = values.indices.sorted { higherIsBetter ? values[$0] > values[$1] : values[$0] < values[$1] }
        var chosen = results[order[results.count / 2]]
        let rendered = values.map { BenchLine.render(.number($0)) }.joined(separator: ",")
        chosen.line = String(chosen.line.dropLast()) + ",\"runs\":\(results.count),\"\(key)_runs\":[\(rendered)]}"
        chosen.fields["runs"] = results.count
        chosen.fields["\(key)_runs"] = values
        return chosen
    }

    private func runChild(_ scenario: ScenarioName, executable: String, baselineRate: Double?) -> ChildResult {
        let failure = { (why: String) -> ChildResult in
            var line = BenchLine(scenario: scenario)
            line["error"] = .text(why)
            return ChildResult(line: line.json, fields: ["scenario": scenario.rawValue, "error": why], succeeded: false)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = options.childArguments(for: scenario, baselineRate: baselineRate)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            return failure("cannot start a child process: \(error)")
        }
        // Bounded wait: a child that hangs is killed, and its missing line reported.
        let pid = process.processIdentifier
        let watch = ChildWatch()
        let limit: DispatchTime = .now() + (options.quick ? 300 : 3600)
        DispatchQueue.global().asyncAfter(deadline: limit) {
            if !watch.finished.load(ordering: .acquiring) { kill(pid, SIGKILL) }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watch.finished.store(true, ordering: .releasing)
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").last.map(String.init),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
            let fields = object as? [String: Any]
        else {
            return failure("child exited with status \(process.terminationStatus) and no JSON line")
        }
        return ChildResult(
            line: line, fields: fields, succeeded: process.terminationStatus == 0 && fields["error"] == nil)
    }

    /// Whether a child was waited for, shared with its timeout.
    private final class ChildWatch: Sendable {
        let finished = Atomic<Bool>(false)
    }

    private func hint(_ text: String) {
        FileHandle.standardError.write(Data("mandrill-bench: \(text)\n".utf8))
    }
}
