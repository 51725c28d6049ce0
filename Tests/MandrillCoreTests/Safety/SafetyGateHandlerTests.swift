import Testing
@testable import MandrillCore

/// The gate behind a real `MessageHandler`: its waits and wake-ups must fit the handler's
/// own use of the message's signal.
struct SafetyGateHandlerTests {
    /// Takes one second of the manual clock per restart.
    struct SlowRestarter: HostRestarter {
        let clock: ManualClock

        func restart(_ request: RestartRequest) async throws {
            try await clock.sleep(for: .seconds(1))
        }
    }

    @Test func twoMessagesForOneHostRestartItOnce() async throws {
        let fixture = SafetyGateFixture { $0.hostCooldownSeconds = 60 }
        let handler = MessageHandler(
            subscription: fixture.subscription, restarter: SlowRestarter(clock: fixture.clock), store: fixture.store,
            gate: fixture.gate, settings: .init(retry: RetryPolicy(RetrySettings())), clock: fixture.clock,
            logger: .silent)
        let (_, first) = fixture.message("m-1", host: "web-1")
        let (_, second) = fixture.message("m-2", host: "web-1")
        let firstOutcome = Task { await handler.handle(first) }
        try await fixture.clock.waitForSleepers(1)
        let secondOutcome = Task { await handler.handle(second) }
        try await eventually { fixture.gate.status.waitingForHost == 1 }

        fixture.clock.advance(by: .seconds(1))
        #expect(await firstOutcome.value == .acked("restarted"))
        #expect(await secondOutcome.value == .acked("coalesced"))
        let decisions = fixture.store.records.filter { $0.kind == .decision }.map(\.detail)
        #expect(decisions == ["coalesced: restarted by message m-1"])
    }
}
