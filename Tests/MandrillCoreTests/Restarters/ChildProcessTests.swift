import Glibc
import Testing
@testable import MandrillCore

@Suite struct ChildProcessTests {
    @Test func trueExitsZeroWithNoOutput() async throws {
        let result = try await ChildProcess(argv: ["/bin/true"], timeout: .seconds(5)).run()
        #expect(result.termination == .exited(0))
        #expect(result.succeeded)
        #expect(result.standardOutput.bytes.isEmpty && result.standardError.bytes.isEmpty)
    }

    @Test func stdoutAndStderrAreCapturedSeparately() async throws {
        let argv = ["sh", "-c", "echo out; echo err >&2; exit 4"]
        let result = try await ChildProcess(argv: argv, timeout: .seconds(5)).run()
        #expect(result.termination == .exited(4))
        #expect(result.standardOutput.text == "out\n")
        #expect(result.standardError.text == "err\n")
        #expect(result.outputTail() == "out\nerr")
    }

    @Test func signalDeathIsReportedAsSignalled() async throws {
        let result = try await ChildProcess(argv: ["sh", "-c", "kill -9 $$"], timeout: .seconds(5)).run()
        #expect(result.termination == .signalled(SIGKILL))
    }

    @Test func timeoutTerminatesTheWholeProcessGroup() async throws {
        let pidFile = ProcessProbe.temporaryPath("timeout")
        let started = ContinuousClock.now
        let result = try await ChildProcess(
            argv: ["sh", "-c", "sleep 30 & echo $! > \(pidFile); wait"],
            timeout: .milliseconds(300), killAfter: .seconds(1)
        ).run()
        #expect(ContinuousClock.now - started < Promptly.bound)
        #expect(result.timedOut)
        #expect(result.termination == .signalled(SIGTERM))
        let sleeper = try #require(await ProcessProbe.waitForPID(in: pidFile))
        #expect(await ProcessProbe.waitUntilGone(sleeper))
    }

    @Test func childIgnoringSigtermIsKilledAfterKillAfter() async throws {
        let started = ContinuousClock.now
        let result = try await ChildProcess(
            argv: ["sh", "-c", "trap '' TERM; sleep 30"],
            timeout: .milliseconds(200), killAfter: .milliseconds(300)
        ).run()
        #expect(ContinuousClock.now - started < Promptly.bound)
        #expect(result.timedOut)
        #expect(result.termination == .signalled(SIGKILL))
    }

    @Test func grandchildHoldingStdoutDoesNotHangTheWait() async throws {
        let pidFile = ProcessProbe.temporaryPath("grandchild")
        let started = ContinuousClock.now
        let result = try await ChildProcess(
            argv: ["sh", "-c", "sleep 30 & echo $! > \(pidFile); echo done; exit 0"],
            timeout: .seconds(10)
        ).run()
        #expect(ContinuousClock.now - started < Promptly.bound)
        #expect(result.succeeded)
        #expect(result.standardOutput.text == "done\n")
        // Documented: leftovers still holding the pipes after the grace are killed.
        let sleeper = try #require(await ProcessProbe.waitForPID(in: pidFile))
        #expect(await ProcessProbe.waitUntilGone(sleeper))
    }

    @Test func outputBeyondTheCapIsDiscardedWhileTheChildFinishes() async throws {
        let result = try await ChildProcess(
            argv: ["head", "-c", "1000000", "/dev/zero"], timeout: .seconds(10), maxOutputBytes: 1024
        ).run()
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput.bytes.count == 1024)
        #expect(result.standardOutput.truncated)
        #expect(!result.standardError.truncated)
    }

    @Test func cancellationTerminatesTheChildAndThrows() async throws {
        let pidFile = ProcessProbe.temporaryPath("cancel")
        let command = ChildProcess(
            argv: ["sh", "-c", "echo $$ > \(pidFile); exec sleep 30"], timeout: .seconds(30), killAfter: .seconds(1))
        let running = Task { try await command.run() }
        let pid = try #require(await ProcessProbe.waitForPID(in: pidFile))
        let cancelled = ContinuousClock.now
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(ContinuousClock.now - cancelled < .seconds(1))
        #expect(await ProcessProbe.waitUntilGone(pid))
    }

    @Test func daemonDescriptorsDoNotLeakIntoTheChild() async throws {
        // Opened without O_CLOEXEC on purpose: only closefrom in the spawn keeps it out.
        let leaky = open("/dev/null", O_RDONLY)
        defer { close(leaky) }
        let result = try await ChildProcess(argv: ["sh", "-c", "ls /proc/$$/fd"], timeout: .seconds(5)).run()
        #expect(result.standardOutput.text.split(separator: "\n") == ["0", "1", "2"])
    }

    @Test func missingExecutableFailsToSpawnPermanently() async throws {
        for argv in [["/nonexistent/mandrill-no-such-command"], ["mandrill-no-such-command"]] {
            let error = await #expect(throws: ChildProcessError.self) {
                try await ChildProcess(argv: argv, timeout: .seconds(5)).run()
            }
            #expect(error?.code == .spawnFailed)
            #expect(error?.systemError == ENOENT)
            #expect(error?.isPermanent == true)
        }
    }

    @Test func emptyCommandIsRejected() async throws {
        await #expect(throws: ChildProcessError(.emptyCommand, executable: "")) {
            try await ChildProcess(argv: [], timeout: .seconds(5)).run()
        }
    }
}
