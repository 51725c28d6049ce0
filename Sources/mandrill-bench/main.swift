import Foundation

// The parent runs each scenario in a fresh child process of this binary (so peak RSS is
// per scenario) and waits for it on the main thread; a child runs its one scenario in a
// detached task while the main thread waits. Neither is an async main, on purpose: under
// valgrind an async main crashes in `dispatch_main`, and the bench is profiled that way.
let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("mandrill-bench: \(error)\n\n\(BenchOptions.usage)\n".utf8))
    exit(64)
}
if options.showHelp {
    print(BenchOptions.usage)
    exit(0)
}
if let scenario = options.childScenario {
    exit(ScenarioChild.runWaiting(scenario, options: options))
}
exit(BenchParent(options: options).run())
