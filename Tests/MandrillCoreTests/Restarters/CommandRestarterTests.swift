import Glibc
import Testing
@testable import MandrillCore

@Suite struct CommandRestarterTests {
    let request = RestartRequest(
        messageID: MessageID("m-000000000042"), hostname: "web-1.example.net", instanceName: "web-1", attempt: 2)

    private func restart(_ argv: [String], timeout: Duration = .seconds(5)) async throws {
        try await CommandRestarter(settings: CommandRestarterSettings(argv: argv, timeout: timeout)).restart(request)
    }

    @Test func zeroExitIsSuccess() async throws {
        try await restart(["/bin/true"])
    }

    @Test func placeholdersReachTheCommand() async throws {
        let argv = ["sh", "-c", "echo \"$@\"; exit 3", "sh", "{hostname}", "{instance}", "{message_id}", "{attempt}"]
        let error = await #expect(throws: RestartError.self) { try await restart(argv) }
        #expect(error?.outputTail == "web-1.example.net web-1 m-000000000042 2")
    }

    @Test func retryableExitCodeIsRetryable() async throws {
        await #expect(throws: RestartError(.retryable, "command exited 75")) {
            try await restart(["sh", "-c", "exit 75"])
        }
    }

    @Test func otherExitCodeIsPermanent() async throws {
        await #expect(throws: RestartError(.permanent, "command exited 3", outputTail: "no such unit")) {
            try await restart(["sh", "-c", "echo no such unit >&2; exit 3"])
        }
    }

    @Test func timeoutIsRetryable() async throws {
        await #expect(throws: RestartError(.retryable, "timed out after 0.2s")) {
            try await restart(["sleep", "30"], timeout: .milliseconds(200))
        }
    }

    @Test func deathBySignalIsRetryable() async throws {
        await #expect(throws: RestartError(.retryable, "command killed by signal 9")) {
            try await restart(["sh", "-c", "kill -9 $$"])
        }
    }

    @Test func missingExecutableIsPermanent() async throws {
        let error = await #expect(throws: RestartError.self) {
            try await restart(["/nonexistent/restart-host", "{hostname}"])
        }
        #expect(error?.kind == .permanent)
        #expect(error?.reason.contains("cannot run /nonexistent/restart-host") == true)
    }

    @Test func unknownPlaceholderIsRejectedAtConfigTime() {
        #expect(throws: CommandTemplateError.unknownPlaceholder(name: "hostnme", argumentIndex: 1)) {
            try CommandRestarter(settings: CommandRestarterSettings(argv: ["restart", "{hostnme}"]))
        }
        let verify = CommandRestarterSettings.Verification(argv: ["ping", "{host}"])
        #expect(throws: CommandTemplateError.unknownPlaceholder(name: "host", argumentIndex: 1)) {
            try CommandRestarter(settings: CommandRestarterSettings(argv: ["/bin/true"], verify: verify))
        }
    }

    @Test func unsafeHostnameIsRefusedWithoutRunningAnything() async throws {
        let pidFile = ProcessProbe.temporaryPath("unsafe")
        let restarter = try CommandRestarter(settings: CommandRestarterSettings(
            argv: ["sh", "-c", "echo ran > \(pidFile)", "sh", "{hostname}"]))
        let evil = RestartRequest(messageID: MessageID("m-1"), hostname: "-oProxyCommand=x", instanceName: "i", attempt: 1)
        let error = await #expect(throws: RestartError.self) { try await restarter.restart(evil) }
        #expect(error?.kind == .permanent)
        #expect(access(pidFile, F_OK) != 0)
    }

    @Test func outputTailKeepsTheLastTenLinesEndingWithStderr() async throws {
        let script = "i=1; while [ $i -le 30 ]; do echo line$i; i=$((i+1)); done; echo failed >&2; exit 3"
        let error = await #expect(throws: RestartError.self) { try await restart(["sh", "-c", script]) }
        let lines = error?.outputTail.split(separator: "\n") ?? []
        #expect(lines.count == 10)
        #expect(lines.first == "line22")
        #expect(lines.last == "failed")
    }
}
