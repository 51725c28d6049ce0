import Glibc

/// One external command, run directly (never through a shell unless `argv[0]` is one).
///
/// Sendable: a value type. The child gets its own process group, stdin from /dev/null
/// and only the environment given; stdout and stderr are captured up to
/// `maxOutputBytes` each. After `timeout`, or when the calling task is cancelled, the
/// whole group gets SIGTERM, then SIGKILL `killAfter` later if the child is still there.
/// Once the child has exited, output from processes it left behind is awaited for
/// `outputGrace` at most; if they still hold the pipes then, the group gets SIGKILL so
/// they cannot outlive the command unnoticed; processes that let go of the pipes (real
/// daemons) are left alone.
public struct ChildProcess: Sendable {
    /// The program and its arguments; `argv[0]` without a slash is looked up in PATH.
    public var argv: [String]
    /// The child's entire environment.
    public var environment: [String: String]
    /// How long the child may run before its group is terminated.
    public var timeout: Duration
    /// How long after SIGTERM the group gets SIGKILL.
    public var killAfter: Duration
    /// How many bytes of stdout, and separately of stderr, are kept.
    public var maxOutputBytes: Int
    /// How long to keep reading after the child exited while something still holds its pipes.
    public var outputGrace: Duration

    /// Describes a command; nothing runs until `run`.
    public init(
        argv: [String],
        environment: [String: String] = ChildEnvironment.allowlisted(),
        timeout: Duration,
        killAfter: Duration = .seconds(5),
        maxOutputBytes: Int = 64 * 1024,
        outputGrace: Duration = .milliseconds(150)
    ) {
        self.argv = argv
        self.environment = environment
        self.timeout = timeout
        self.killAfter = killAfter
        self.maxOutputBytes = maxOutputBytes
        self.outputGrace = outputGrace
    }

    /// Runs the command to its end and returns how it ended and what it wrote.
    ///
    /// Throws `ChildProcessError` when it cannot start and `CancellationError` when the
    /// task was cancelled (after the child was terminated and reaped).
    public func run(clock: any Clock<Duration> = ContinuousClock()) async throws -> ChildProcessResult {
        try await run(on: clock)
    }

    private func run<C: Clock<Duration>>(on clock: C) async throws -> ChildProcessResult {
        try Task.checkCancellation()
        let start = clock.now
        let executable = argv.first ?? ""
        let collector = try OutputCollector(limit: maxOutputBytes, executable: executable)
        let (argv, environment) = (argv, environment)
        let child = try await DedicatedThread.run(name: "mandrill.spawn") {
            ProcessSpawner.spawn(argv: argv, environment: environment)
        }.get()
        collector.start(reading: child)
        let group = ProcessGroup(id: child.pid)

        let supervision = await supervise(pid: child.pid, group: group, clock: clock)
        let output = await collectOutput(collector, clock: clock)
        if !output.reachedEndOfFile || supervision.ending != .exited {
            // Leftovers either hold our pipes or belong to a command we terminated.
            group.send(SIGKILL)
        }
        if supervision.ending == .cancelled {
            throw CancellationError()
        }
        return ChildProcessResult(
            termination: supervision.termination,
            standardOutput: output.standardOutput,
            standardError: output.standardError,
            duration: start.duration(to: clock.now),
            timedOut: supervision.ending == .timedOut)
    }

    /// Waits up to `outputGrace` for EOF on both pipes, then makes the reader stop.
    private func collectOutput<C: Clock<Duration>>(
        _ collector: OutputCollector, clock: C
    ) async -> OutputCollector.Collected {
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A cancelled task ends the grace at once; its output is not wanted anyway.
                try? await clock.sleep(for: outputGrace)
                collector.stop()
            }
            let collected = await collector.collected()
            tasks.cancelAll()
            return collected
        }
    }
}
