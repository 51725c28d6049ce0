import Testing
@testable import MandrillCore

struct SafetyGateWaitTests {
    @Test func secondMessageForAHostWaitsAndIsCoalescedWhenTheRestartSucceeds() async throws {
        let fixture = SafetyGateFixture { $0.hostCooldownSeconds = 60 }
        let first = await fixture.admit("m-1", host: "web-1")
        let second = fixture.admitLater("m-2", host: "WEB-1")
        try await eventually { fixture.gate.status.waitingForHost == 1 }
        fixture.gate.release(first.permit!, outcome: .succeeded)
        #expect(await second.value.summary == "done coalesced: restarted by message m-1")
        #expect(fixture.gate.status == SafetyGate.Status(running: 0, waitingToStart: 0, waitingForHost: 0))
    }

    @Test func secondMessageForAHostProceedsWhenTheRestartFailed() async throws {
        let fixture = SafetyGateFixture()
        let first = await fixture.admit("m-1", host: "web-1")
        let second = fixture.admitLater("m-2", host: "web-1")
        try await eventually { fixture.gate.status.waitingForHost == 1 }
        fixture.gate.release(first.permit!, outcome: .failed)
        #expect(await second.value.summary == "proceed web-1")
        #expect(fixture.gate.status.running == 1)
    }

    @Test func rateLimitDelaysTheThirdRestartInsteadOfDroppingIt() async throws {
        // 12 a minute: a burst of 2, then one every 5 s.
        let fixture = SafetyGateFixture { $0.maxRestartsPerMinute = 12 }
        #expect(await fixture.admit("m-1", host: "web-1").permit != nil)
        #expect(await fixture.admit("m-2", host: "web-2").permit != nil)
        let third = fixture.admitLater("m-3", host: "web-3")
        try await fixture.clock.waitForSleepers(1)
        fixture.clock.advance(by: .milliseconds(4900))
        #expect(fixture.gate.status.waitingToStart == 1)
        #expect(fixture.clock.sleeperCount == 1)
        fixture.clock.advance(by: .milliseconds(100))
        #expect(await third.value.summary == "proceed web-3")
        #expect(fixture.clock.sleeperCount == 0)
    }

    @Test func concurrencyLimitAdmitsWaitersInArrivalOrder() async throws {
        let fixture = SafetyGateFixture { $0.maxConcurrentRestarts = 1 }
        var permit = try #require(await fixture.admit("m-1", host: "web-1").permit)
        var waiting: [Task<GateAdmission, Never>] = []
        for index in 2...4 {
            waiting.append(fixture.admitLater("m-\(index)", host: "web-\(index)"))
            try await fixture.waitUntilWaitingToStart(index - 1)
        }
        for (offset, task) in waiting.enumerated() {
            fixture.gate.release(permit, outcome: .succeeded)
            let admission = await task.value
            #expect(admission.summary == "proceed web-\(offset + 2)")
            #expect(fixture.gate.status.waitingToStart == waiting.count - offset - 1)
            permit = try #require(admission.permit)
        }
    }

    @Test func waiterWhoseLeaseExpiresLeavesTheQueueWithoutTakingASlot() async throws {
        let fixture = SafetyGateFixture { $0.maxConcurrentRestarts = 1 }
        let first = await fixture.admit("m-1", host: "web-1")
        let (request, message) = fixture.message("m-2", host: "web-2")
        let expiring = Task { [gate = fixture.gate] in await gate.admit(request, message: message) }
        try await fixture.waitUntilWaitingToStart(1)
        let third = fixture.admitLater("m-3", host: "web-3")
        try await fixture.waitUntilWaitingToStart(2)

        message.expireLease()
        #expect(await expiring.value.summary == "interrupted leaseExpired")
        #expect(fixture.gate.status.waitingToStart == 1)
        fixture.gate.release(first.permit!, outcome: .succeeded)
        #expect(await third.value.summary == "proceed web-3")
        #expect(fixture.gate.status.running == 1)
    }

    @Test func cancelledRateLimitWaiterLeavesItsTokenToTheNext() async throws {
        // 6 a minute: a burst of 1, then one every 10 s.
        let fixture = SafetyGateFixture { $0.maxRestartsPerMinute = 6 }
        #expect(await fixture.admit("m-1", host: "web-1").permit != nil)
        let cancelled = fixture.admitLater("m-2", host: "web-2")
        try await fixture.clock.waitForSleepers(1)
        cancelled.cancel()
        #expect(await cancelled.value.summary == "interrupted cancelled")
        #expect(fixture.gate.status.waitingToStart == 0)
        try await eventually { fixture.clock.sleeperCount == 0 }
        fixture.clock.advance(by: .seconds(10))
        #expect(await fixture.admit("m-3", host: "web-3").summary == "proceed web-3")
    }

    @Test func cancelledHostWaiterIsNotCoalescedLater() async throws {
        let fixture = SafetyGateFixture()
        let first = await fixture.admit("m-1", host: "web-1")
        let cancelled = fixture.admitLater("m-2", host: "web-1")
        try await eventually { fixture.gate.status.waitingForHost == 1 }
        cancelled.cancel()
        #expect(await cancelled.value.summary == "interrupted cancelled")
        #expect(fixture.gate.status.waitingForHost == 0)
        fixture.gate.release(first.permit!, outcome: .succeeded)
        #expect(fixture.gate.status == SafetyGate.Status(running: 0, waitingToStart: 0, waitingForHost: 0))
    }
}
