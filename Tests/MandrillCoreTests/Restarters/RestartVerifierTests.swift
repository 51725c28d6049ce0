import Foundation
import Testing
@testable import MandrillCore

@Suite struct RestartVerifierTests {
    let request = RestartRequest(
        messageID: MessageID("m-000000000007"), hostname: "web-1.example.net", instanceName: "web-1", attempt: 1)

    private func verifier(_ argv: [String], interval: Duration, timeout: Duration) throws -> RestartVerifier {
        RestartVerifier(template: try CommandTemplate(argv), interval: interval, timeout: timeout,
                        attemptTimeout: .seconds(2))
    }

    @Test func hostThatComesBackOnTheThirdCheckIsVerified() async throws {
        let counter = ProcessProbe.temporaryPath("counter")
        let script = "n=$(cat \(counter) 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(counter); [ $n -ge 3 ]"
        try await verifier(["sh", "-c", script], interval: .milliseconds(10), timeout: .seconds(5)).verify(request)
        let checks = try String(contentsOfFile: counter, encoding: .utf8)
        #expect(checks == "3\n")
    }

    @Test func hostThatNeverComesBackFailsRetryably() async throws {
        let check = try verifier(["sh", "-c", "echo unreachable; exit 1"], interval: .milliseconds(10),
                                 timeout: .milliseconds(100))
        let error = await #expect(throws: RestartError.self) { try await check.verify(request) }
        #expect(error?.kind == .retryable)
        #expect(error?.reason == "host not verified back within 0.1s")
    }

    @Test func restarterFailsWhenVerificationNeverSucceeds() async throws {
        let settings = CommandRestarterSettings(
            argv: ["/bin/true"],
            verify: .init(argv: ["/bin/false", "{hostname}"], interval: .milliseconds(10), timeout: .milliseconds(50)))
        await #expect(throws: RestartError(.retryable, "host not verified back within 0.05s")) {
            try await CommandRestarter(settings: settings).restart(request)
        }
    }

    @Test func cancellationStopsVerification() async throws {
        let check = try verifier(["/bin/false"], interval: .seconds(30), timeout: .seconds(60))
        let request = request
        let started = ContinuousClock.now
        let verifying = Task { try await check.verify(request) }
        verifying.cancel()
        await #expect(throws: CancellationError.self) { try await verifying.value }
        #expect(ContinuousClock.now - started < Promptly.bound)
    }
}
