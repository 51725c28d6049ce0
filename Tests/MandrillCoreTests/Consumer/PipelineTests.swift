import Synchronization
import Testing
@testable import MandrillCore

@Suite(.timeLimit(.minutes(1)))
struct PipelineTests {
    @Test func theStartedRecordIsSavedWhileTheRestartRunsAndTheAckWaitsForIt() async throws {
        // The store holds the started record "in progress" until the test lets it finish:
        // the restart runs meanwhile, and the ack waits until the record is saved.
        let durable = Latch()
        let restartRan = Latch()
        let store = GatedStore(gateOn: .restartStarted) { try await durable.wait() }
        let heldDuringRestart = Mutex<[StateRecord.Kind]>([])
        let restarter = ScriptedRestarter { _, _ in
            heldDuringRestart.withLock { $0 = store.heldBehind.map(\.kind) }
            restartRan.open()
        }
        let clock = ManualClock()
        let broker = InProcessBroker(clock: clock)
        let handler = MessageHandler.forTesting(subscription: broker, restarter: restarter, store: store, clock: clock)
        let delivery = try await broker.deliverOne()
        let message = InFlightTable().take(delivery, clock: clock)
        async let outcome = handler.handle(message)
        try await restartRan.wait()
        #expect(heldDuringRestart.withLock { $0 } == [.received, .restartStarted])
        #expect(broker.counts.acked == 0, "not acked while the started record is unsaved")
        durable.open()
        #expect(await outcome == .acked("restarted"))
        #expect(broker.counts.acked == 1)
        #expect(store.records.map(\.kind) == [.received, .restartStarted, .restartSucceeded, .acked])
    }

    @Test func nothingIsRestartedWhenTheStoreCannotTakeTheRecords() async throws {
        for failing in [StateRecord.Kind.received, .restartStarted] {
            let restarter = ScriptedRestarter()
            let clock = ManualClock()
            let broker = InProcessBroker(clock: clock)
            let store = GatedStore(failing: failing)
            let handler = MessageHandler.forTesting(subscription: broker, restarter: restarter, store: store, clock: clock)
            let delivery = try await broker.deliverOne()
            let outcome = await handler.handle(InFlightTable().take(delivery, clock: clock))
            #expect(outcome == .nacked("state_unavailable"), "store failing on \(failing)")
            #expect(restarter.callCount == 0, "store failing on \(failing)")
            #expect(broker.counts.acked == 0)
            #expect(broker.counts.outstanding == 0, "nacked back to the broker")
        }
    }

    @Test func freedSlotsGoBackInBatchesAndTheConsumerNeverStalls() async throws {
        let returns = CreditReturns(batch: CreditReturns.batchSize(maxInFlight: 64))
        #expect((1...3).map { _ in returns.finished() } == [nil, nil, nil])
        #expect(returns.finished() == 4, "64 in flight: slots go back four at a time")
        #expect(CreditReturns.batchSize(maxInFlight: 5) == 1)
        #expect(CreditReturns.batchSize(maxInFlight: 100_000) == 64)

        // 100 messages through 32 slots returned two at a time: every one is handled.
        var setup = PipelineHarness(restarter: ScriptedRestarter())
        setup.maxInFlight = 32
        let harness = setup
        await harness.publish(100)
        try await harness.whileConsuming {
            try await eventually { harness.broker.counts.acked == 100 }
            #expect(harness.restarter.callCount == 100)
        }
    }

    @Test func neverMoreThanMaxInFlightAndTheLimitIsReached() async throws {
        let release = Latch()
        let restarter = ScriptedRestarter { _, _ in try await release.wait() }
        var setup = PipelineHarness(restarter: restarter)
        setup.maxInFlight = 5
        let harness = setup
        await harness.publish(40)
        try await harness.whileConsuming {
            _ = try await restarter.started.take(5)
            #expect(harness.table.count == 5)
            #expect(harness.broker.counts.outstanding == 5)
            #expect(harness.broker.counts.waiting == 35)
            release.open()
            try await eventually { harness.broker.counts.acked == 40 }
        }
        #expect(restarter.peakConcurrency == 5)
        #expect(harness.totals.snapshot.acked == 40)
    }

    @Test func retryableFailuresAreRetriedThenNackedAfterMaxAttempts() async throws {
        let restarter = ScriptedRestarter { _, _ in throw RestartError(.retryable, "host unreachable") }
        var setup = PipelineHarness(restarter: restarter)
        setup.retry.maxAttempts = 3
        setup.retry.jitter = 0
        setup.retry.nackDelaySeconds = 30
        let harness = setup
        await harness.publish(1)
        try await harness.whileConsuming {
            // Two backoffs (0.2 s, 0.4 s) between three attempts, each awaited on the manual clock.
            for pause in [Duration.milliseconds(200), .milliseconds(400)] {
                try await eventually { harness.records(.restartFailed).count == (pause == .milliseconds(200) ? 1 : 2) }
                try await harness.clock.waitForSleepers(1)  // the backoff
                harness.clock.advance(by: pause)
            }
            try await eventually { harness.records(.nacked).count == 1 }
            #expect(restarter.callCount == 3)
            #expect(harness.records(.nacked).first?.detail == "restart_failed")
            #expect(harness.broker.counts.waiting == 1, "the nacked message waits for redelivery")
        }
    }

    @Test func deadLetteredWhenTheLastAllowedDeliveryFails() async throws {
        let restarter = ScriptedRestarter { _, _ in throw RestartError(.retryable, "still down") }
        var setup = PipelineHarness(restarter: restarter)
        setup.retry.maxAttempts = 1
        setup.retry.maxDeliveries = 2
        setup.retry.nackDelaySeconds = 0
        let harness = setup
        await harness.publish(1)
        try await harness.whileConsuming {
            try await eventually { harness.broker.counts.deadLettered == 1 }
            #expect(restarter.callCount == 2)
            #expect(harness.records(.nacked).count == 1)
            let dead = try #require(harness.records(.deadLettered).first)
            #expect(dead.attempt == 2)
            #expect(dead.detail.hasPrefix("retries_exhausted"))
        }
    }

    @Test func permanentFailureDeadLettersAtOnce() async throws {
        let restarter = ScriptedRestarter { _, _ in throw RestartError(.permanent, "no such host") }
        let harness = PipelineHarness(restarter: restarter)
        await harness.publish(1)
        try await harness.whileConsuming {
            try await eventually { harness.broker.counts.deadLettered == 1 }
            #expect(restarter.callCount == 1)
            #expect(harness.records(.deadLettered).first?.detail == "permanent: no such host")
        }
    }

    @Test func aMessageIsNeverAckedWhenItsOutcomeCannotBeSaved() async throws {
        let (outcome, broker, store) = try await handleWithOutcomeSaveFailing(times: .max)
        #expect(outcome == .nacked("state_unavailable"))
        #expect(broker.counts.acked == 0)
        #expect(store.failedAppends == 3)
    }

    @Test func anOutcomeSavedOnARetryIsAcked() async throws {
        let (outcome, broker, store) = try await handleWithOutcomeSaveFailing(times: 2)
        #expect(outcome == .acked("restarted"))
        #expect(broker.counts.acked == 1)
        #expect(store.failedAppends == 2)
        #expect(store.records.map(\.kind).suffix(2) == [.restartSucceeded, .acked])
    }

    /// Handles one delivery with three tries at saving, the first `times` of the outcome's
    /// failing; the backoffs (50 ms, 100 ms) pass on the manual clock.
    private func handleWithOutcomeSaveFailing(
        times: Int
    ) async throws -> (FinalOutcome, InProcessBroker, GatedStore) {
        let clock = ManualClock()
        let broker = InProcessBroker(clock: clock)
        let store = GatedStore(failing: .acked, times: times)
        let handler = MessageHandler.forTesting(
            subscription: broker, restarter: ScriptedRestarter(), store: store, clock: clock, saveAttempts: 3)
        let message = InFlightTable().take(try await broker.deliverOne(), clock: clock)
        async let outcome = handler.handle(message)
        for pause in [Duration.milliseconds(50), .milliseconds(100)] {
            try await clock.waitForSleepers(1)
            clock.advance(by: pause)
        }
        return (await outcome, broker, store)
    }

    @Test func malformedPayloadIsDeadLetteredWithItsReason() async throws {
        let restarter = ScriptedRestarter()
        let clock = ManualClock()
        let broker = RecordingSubscription()
        let store = InMemoryStateStore()
        let handler = MessageHandler.forTesting(subscription: broker, restarter: restarter, store: store, clock: clock)
        let delivery = Delivery(id: MessageID("1-0"), attempt: 1, payload: .malformed(reason: "no host field"), receivedAt: clock.now)
        let message = InFlightTable().take(delivery, clock: clock)
        let outcome = await handler.handle(message)
        #expect(outcome == .deadLettered("malformed: no host field"))
        #expect(broker.deadLettered.map(\.reason) == ["malformed: no host field"])
        #expect(restarter.callCount == 0)
    }

    @Test func finishedMessageIsAckedAsDuplicateWithoutRestart() async throws {
        let restarter = ScriptedRestarter()
        let harness = PipelineHarness(restarter: restarter)
        try await harness.store.append([StateRecord(time: 0, kind: .acked, messageID: MessageID("m-1"), host: "cattle-1.example.net", attempt: 1, detail: "restarted")])
        await harness.publish(1)
        try await harness.whileConsuming {
            try await eventually { harness.broker.counts.acked == 1 }
            #expect(restarter.callCount == 0)
            #expect(harness.totals.snapshot.duplicate == 1)
        }
    }
}
