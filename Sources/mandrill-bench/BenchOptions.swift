/// The bench's command line: which scenarios, how many messages, quick mode, and the
/// hidden flags the parent passes to each child process.
///
/// Sendable: plain values.
struct BenchOptions: Sendable, Equatable {
    /// Scenarios to run, in order (all when none are named).
    var scenarios: [ScenarioName] = ScenarioName.allCases
    /// Overrides every scenario's message count (inflight and shutdown hold them all at once).
    var messages: Int?
    /// Shrinks every scenario for smoke tests.
    var quick = false
    /// Rounds of every scenario; each scenario's median run is reported (see `BenchParent`).
    var runs = 1
    /// Skips latency recording, to measure what recording costs.
    var recordLatency = true
    /// Set in a child process: the one scenario it runs.
    var childScenario: ScenarioName?
    /// Set in a child process: the baseline's msgs/s, for `ratio_to_baseline`.
    var baselineRate: Double?
    /// `--help`.
    var showHelp = false

    static let usage = """
        usage: mandrill-bench [SCENARIO...] [--messages N] [--runs N] [--quick]
          scenarios: \(ScenarioName.allCases.map(\.rawValue).joined(separator: " ")) (default: all)
          --messages N   message count for every scenario named (inflight and shutdown hold all N at once)
          --runs N       run every scenario N times (1-99), in N rounds, and print each one's
                         median run, with every run's headline number (for a noisy machine)
          --quick        small counts, for smoke tests
          --no-latency   do not record latencies (measures the recording's own cost)
        Prints one JSON line per scenario on stdout; hints go to stderr.
        Build and run in release mode: swift run -c release mandrill-bench
        """

    /// Parses arguments (without the program name).
    static func parse(_ arguments: [String]) throws(BenchError) -> BenchOptions {
        var options = BenchOptions()
        var named: [ScenarioName] = []
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--no-latency": options.recordLatency = false
            case "--help", "-h": options.showHelp = true
            case "--messages":
                guard let text = remaining.popFirst(), let count = Int(text), count > 0 else {
                    throw BenchError("--messages needs a positive whole number")
                }
                options.messages = count
            case "--runs":
                guard let text = remaining.popFirst(), let runs = Int(text), (1...99).contains(runs) else {
                    throw BenchError("--runs needs a whole number from 1 to 99")
                }
                options.runs = runs
            case "--child":
                guard let text = remaining.popFirst(), let scenario = ScenarioName(rawValue: text) else {
                    throw BenchError("--child needs a scenario name")
                }
                options.childScenario = scenario
            case "--baseline-rate":
                guard let text = remaining.popFirst(), let rate = Double(text), rate > 0 else {
                    throw BenchError("--baseline-rate needs a positive number")
                }
                options.baselineRate = rate
            default:
                guard let scenario = ScenarioName(rawValue: argument) else {
                    throw BenchError("unknown scenario or option: \(argument)")
                }
                if !named.contains(scenario) { named.append(scenario) }
            }
        }
        if !named.isEmpty { options.scenarios = named }
        return options
    }

    /// The arguments that make a child process run `scenario` with these options.
    func childArguments(for scenario: ScenarioName, baselineRate: Double?) -> [String] {
        var arguments = ["--child", scenario.rawValue]
        if let messages { arguments += ["--messages", String(messages)] }
        if quick { arguments.append("--quick") }
        if !recordLatency { arguments.append("--no-latency") }
        if let baselineRate { arguments += ["--baseline-rate", String(baselineRate)] }
        return arguments
    }

    /// The message count of `scenario` under these options.
    func messageCount(for scenario: ScenarioName) -> Int {
        messages ?? (quick ? scenario.quickMessages : scenario.defaultMessages)
    }
}

/// Why the bench could not do what it was asked (a bad command line exits 64).
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
