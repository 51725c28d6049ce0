import Glibc
import Testing
@testable import MandrillCore

@Suite struct ChildEnvironmentTests {
    @Test func systemdVariablesNeverReachTheChildEvenWhenAllowlisted() async throws {
        let parent = [
            "PATH": "/usr/bin:/bin", "HOME": "/root", "SECRET_TOKEN": "s3cret",
            "NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1",
            "EXTRA_NAME": "kept",
        ]
        let environment = ChildEnvironment.allowlisted(
            extraNames: ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "EXTRA_NAME"],
            lookup: { parent[$0] })
        let result = try await ChildProcess(argv: ["env"], environment: environment, timeout: .seconds(5)).run()
        let names = Set(result.standardOutput.text.split(separator: "\n").map { String($0.prefix { $0 != "=" }) })
        #expect(names == ["PATH", "HOME", "EXTRA_NAME"])
    }

    @Test func processVariablesOutsideTheAllowlistAreDropped() async throws {
        setenv("MANDRILL_TEST_PASSED_ON", "yes", 1)
        setenv("MANDRILL_TEST_HIDDEN", "no", 1)
        let environment = ChildEnvironment.allowlisted(extraNames: ["MANDRILL_TEST_PASSED_ON"])
        let result = try await ChildProcess(argv: ["env"], environment: environment, timeout: .seconds(5)).run()
        let lines = result.standardOutput.text.split(separator: "\n")
        #expect(lines.contains("MANDRILL_TEST_PASSED_ON=yes"))
        #expect(lines.contains { $0.hasPrefix("PATH=") })
        #expect(!lines.contains { $0.hasPrefix("MANDRILL_TEST_HIDDEN=") })
    }

    @Test func pathFallsBackWhenTheDaemonHasNone() {
        #expect(ChildEnvironment.allowlisted(lookup: { _ in nil }) == ["PATH": ChildEnvironment.fallbackPath])
    }
}
