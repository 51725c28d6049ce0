import Testing
@testable import MandrillCore

struct SimulatedRestarterTests {
    static func outcomes(seed: UInt64) async -> [String] {
        var settings = SimulatedSettings()
        settings.minLatencyMs = 0
        settings.maxLatencyMs = 0
        settings.failureRate = 0.3
        settings.permanentFailureRate = 0.1
        settings.seed = seed
        let restarter = SimulatedRestarter(settings: settings, clock: ManualClock())
        var results: [String] = []
        for index in 0..<2000 {
            do {
                try await restarter.restart(RestartRequest(messageID: MessageID("m-\(index)"), hostname: "h", instanceName: "h", attempt: 1))
                results.append("ok")
            } catch let error as RestartError {
                results.append(error.kind.rawValue)
            } catch {
                results.append("other")
            }
        }
        return results
    }

    @Test func aSeedReplaysTheSameOutcomesAtTheConfiguredRates() async {
        let first = await Self.outcomes(seed: 99)
        #expect(await Self.outcomes(seed: 99) == first)
        let permanent = Double(first.filter { $0 == "permanent" }.count) / 2000
        let retryable = Double(first.filter { $0 == "retryable" }.count) / 2000
        #expect(abs(permanent - 0.1) < 0.03)
        #expect(abs(retryable - 0.3) < 0.04)
        #expect(!first.contains("other"))
    }

    @Test func latencyIsSpentOnTheInjectedClockAndCancellationStopsIt() async throws {
        var settings = SimulatedSettings()
        settings.minLatencyMs = 500
        settings.maxLatencyMs = 500
        settings.failureRate = 0
        settings.permanentFailureRate = 0
        let clock = ManualClock()
        let restarter = SimulatedRestarter(settings: settings, clock: clock)
        let request = RestartRequest(messageID: MessageID("m"), hostname: "h", instanceName: "h", attempt: 1)
        let finished = Task { try await restarter.restart(request) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(500))
        try await finished.value
        let cancelled = Task { try await restarter.restart(request) }
        try await clock.waitForSleepers(1)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
    }
}
