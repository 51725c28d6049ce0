import Testing
@testable import MandrillCore

struct SafetyGateDecisionTests {
    @Test func dryRunConsumesNoCooldownBudgetTokensOrConcurrency() async {
        let fixture = SafetyGateFixture {
            $0.dryRun = true
            $0.hostCooldownSeconds = 600
            $0.maxRestartsPerMinute = 6
            $0.maxConcurrentRestarts = 1
            $0.groups = [Self.group("web", ["web-*"], max: 1)]
        }
        for index in 1...3 {
            let admission = await fixture.admit("m-\(index)", host: "web-1")
            #expect(admission.summary == "proceed web-1 dry-run")
            fixture.gate.release(admission.permit!, outcome: .succeeded)
        }
        #expect(fixture.gate.status == SafetyGate.Status(running: 0, waitingToStart: 0, waitingForHost: 0))
        var live = fixture.gate.settings
        live.dryRun = false
        fixture.gate.reload(live)
        #expect(await fixture.admit("m-4", host: "web-1").summary == "proceed web-1")
    }

    @Test func cooldownCountsRestartsRecordedInTheStore() async throws {
        let fixture = SafetyGateFixture { $0.hostCooldownSeconds = 60 }
        try await fixture.store.append([StateRecord(
            time: fixture.clock.wallTime - 10, kind: .restartSucceeded, messageID: MessageID("m-0"), host: "web-1", attempt: 1)])
        #expect(await fixture.admit("m-1", host: "web-1").summary == "done skipped_cooldown: last restarted 10s ago, cooldown 60s")
        #expect(await fixture.admit("m-2", host: "web-2").summary == "proceed web-2")
        fixture.clock.advance(by: .seconds(50))
        #expect(await fixture.admit("m-3", host: "web-1").summary == "proceed web-1")
    }

    @Test func cooldownCountsRestartsReleasedAsSucceeded() async {
        let fixture = SafetyGateFixture { $0.hostCooldownSeconds = 60 }
        let first = await fixture.admit("m-1", host: "web-1")
        fixture.gate.release(first.permit!, outcome: .succeeded)
        fixture.clock.advance(by: .seconds(30))
        #expect(await fixture.admit("m-2", host: "WEB-1").summary == "done skipped_cooldown: last restarted 30s ago, cooldown 60s")

        let failed = await fixture.admit("m-3", host: "web-2")
        fixture.gate.release(failed.permit!, outcome: .failed)
        #expect(await fixture.admit("m-4", host: "web-2").summary == "proceed web-2")

        fixture.clock.advance(by: .seconds(30))
        #expect(await fixture.admit("m-5", host: "web-1").summary == "proceed web-1")
    }

    @Test func groupBudgetDefersUntilTheOldestRestartLeavesTheWindow() async {
        let fixture = SafetyGateFixture { $0.groups = [Self.group("web", ["web-*"], max: 2, window: 3600)] }
        #expect(await fixture.admit("m-1", host: "web-1").permit != nil)
        fixture.clock.advance(by: .seconds(600))
        #expect(await fixture.admit("m-2", host: "web-2").permit != nil)
        #expect(await fixture.admit("m-3", host: "web-3").summary == "deferred 3000s: group web budget 2 per 3600s used")
        #expect(await fixture.admit("m-4", host: "db-1").summary == "proceed db-1")
        fixture.clock.advance(by: .seconds(3000))
        #expect(await fixture.admit("m-5", host: "web-3").summary == "proceed web-3")
        #expect(await fixture.admit("m-6", host: "web-4").summary == "deferred 600s: group web budget 2 per 3600s used")
    }

    @Test func reloadReplacesThePolicyForTheNextDecision() async {
        let fixture = SafetyGateFixture()
        #expect(await fixture.admit("m-1", host: "web-1").summary == "proceed web-1")
        var stricter = fixture.gate.settings
        stricter.denyHosts = ["web-*"]
        fixture.gate.reload(stricter)
        #expect(fixture.gate.settings.denyHosts == ["web-*"])
        #expect(await fixture.admit("m-2", host: "web-2").summary == "done skipped: denied by denyHosts \"web-*\"")
    }

    @Test func reloadLetsWaitingMessagesDecideAgainUnderTheNewLimits() async throws {
        let fixture = SafetyGateFixture { $0.maxConcurrentRestarts = 1 }
        #expect(await fixture.admit("m-1", host: "web-1").permit != nil)
        let second = fixture.admitLater("m-2", host: "web-2")
        try await fixture.waitUntilWaitingToStart(1)
        var wider = fixture.gate.settings
        wider.maxConcurrentRestarts = 2
        fixture.gate.reload(wider)
        #expect(await second.value.summary == "proceed web-2")
        #expect(fixture.gate.status.running == 2)
    }

    @Test func reloadToAnUnlimitedRateStartsARateLimitedMessageAtOnce() async throws {
        let fixture = SafetyGateFixture { $0.maxRestartsPerMinute = 6 }
        #expect(await fixture.admit("m-1", host: "web-1").permit != nil)
        let second = fixture.admitLater("m-2", host: "web-2")
        try await fixture.clock.waitForSleepers(1)
        var unlimited = fixture.gate.settings
        unlimited.maxRestartsPerMinute = 0
        fixture.gate.reload(unlimited)
        #expect(await second.value.summary == "proceed web-2")
        // Its sleep for the next token ended with it.
        #expect(fixture.clock.sleeperCount == 0)
    }

    static func group(_ name: String, _ hosts: [String], max: Int, window: Double = 3600) -> HostGroupSettings {
        var group = HostGroupSettings()
        group.name = name
        group.hosts = hosts
        group.maxRestartsPerWindow = max
        group.windowSeconds = window
        return group
    }
}
