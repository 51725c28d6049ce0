import Foundation
import Synchronization

/// Runs each requested scenario in a fresh child process of this binary, so that each
/// one's peak RSS is its own, and prints the children's lines in order. The baseline
/// runs first whenever another scenario needs its rate for `ratio_to_baseline`.
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
        var failed = false
        var baselineRate: Double?
        let wanted = options.scenarios
        if wanted.contains(where: { $0 != .redis }) {
            let result = runChild(.baseline, executable: executable, baselineRate: nil)
            failed = failed || !result.succeeded
            baselineRate = (result.fields["msgs_per_s"] as? NSNumber)?.doubleValue
            if wanted.contains(.baseline) { emit(result) }
        }
        for scenario in wanted where scenario != .baseline {
            let result = runChild(scenario, executable: executable, baselineRate: baselineRate)
            failed = failed || !result.succeeded
            emit(result)
        }
        return failed ? 70 : 0
    }

    private func emit(_ result: ChildResult) {
        // Unbuffered, so a reader sees each line as soon as its scenario ends.
        FileHandle.standardOutput.write(Data((result.line + "\n").utf8))
        if let summary = BenchTargets.summary(of: result.fields) { hint(summary) }
    }

    private func runChild(_ scenario: ScenarioName, executable: String, baselineRate: Double?) -> ChildResult {
        hint("running \(scenario.rawValue) (\(options.messageCount(for: scenario)) messages)…")
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
