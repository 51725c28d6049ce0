import Foundation
import MandrillCore
import Synchronization

/// A child process's whole job: run one scenario and print its JSON line.
enum ScenarioChild {
    /// Runs `scenario` in a detached task and waits for it on the calling (main) thread.
    static func runWaiting(_ scenario: ScenarioName, options: BenchOptions) -> Int32 {
        // As `mandrill run` does before it builds the daemon.
        HeapGrowth.reserveAhead()
        let result = ExitCodeBox()
        Task.detached {
            result.code.store(await run(scenario, options: options), ordering: .releasing)
            result.done.signal()
        }
        result.done.wait()
        return result.code.load(ordering: .acquiring)
    }

    /// The detached task's exit code and the signal that it is set.
    private final class ExitCodeBox: Sendable {
        let code = Atomic<Int32>(70)
        let done = DispatchSemaphore(value: 0)
    }

    /// Runs `scenario`, prints its line on stdout, returns the exit code (70 on failure).
    static func run(_ scenario: ScenarioName, options: BenchOptions) async -> Int32 {
        do {
            let line: BenchLine
            switch scenario {
            case .baseline: line = await BaselineScenario.run(options)
            case .throughput: line = try await ThroughputScenario.run(options, journal: false)
            case .throughputJournal: line = try await ThroughputScenario.run(options, journal: true)
            case .inflight: line = await InFlightScenario.run(options)
            case .shutdown: line = try await ShutdownScenario.run(options)
            case .redis: line = await RedisScenario.run(options)
            }
            print(line.json)
            return 0
        } catch {
            var line = BenchLine(scenario: scenario)
            line["error"] = .text("\(error)")
            print(line.json)
            return 70
        }
    }
}
