import Testing
@testable import MandrillCore

@Suite(.timeLimit(.minutes(1)))
struct LeaseAndShutdownTests {
    @Test func leasesOfAllInFlightMessagesAreExtendedInOneBatchPerInterval() async throws {
        let release = Latch()
        let restarter = ScriptedRestarter { _, _ in try await release.wait() }
        let clock = ManualClock()
        let subscription = RecordingSubscription()
        let table = InFlightTable()
        let shutdown = Shutdown()
        let handler = MessageHandler.forTesting(subscription: subscription, restarter: restarter, store: InMemoryStateStore(), clock: clock)
        let consumer = Consumer(
            subscription: subscription, handler: handler, table: table, shutdown: shutdown,
            settings: .init(maxInFlight: 10), clock: clock, logger: .silent)
        var lease = LeaseSettings()
        lease.ackDeadlineSeconds = 10
        lease.extendEverySeconds = 3
        let keeper = LeaseKeeper(table: table, subscription: subscription, settings: .init(lease), clock: clock, logger: .silent)
        for index in 1...3 {
            subscription.send(.request(index, receivedAt: clock.now))
        }
        async let run: Void = consumer.run()
        let keeping = Task { await keeper.run() }
        defer { keeping.cancel() }
        _ = try await restarter.started.take(3)
        var batches = subscription.extensionBatches.makeAsyncIterator()
        for round in 1...3 {
            try await clock.waitForSleepers(1)
            clock.advance(by: .seconds(3))
            #expect(await batches.next() == 3, "round \(round): one call extending all three leases")
        }
        #expect(subscription.extensions.count == 3)
        release.open()
        try await eventually { subscription.acked.count == 3 }
        shutdown.begin(.signal("SIGTERM"))
        subscription.stopIntake()
        await run
    }

    @Test func aMessagePastTheMaximumLeaseIsInterruptedAndNacked() async throws {
        let restarter = ScriptedRestarter { _, _ in try await Latch().wait() }
        let clock = ManualClock()
        let subscription = RecordingSubscription()
        let table = InFlightTable()
        let handler = MessageHandler.forTesting(subscription: subscription, restarter: restarter, store: InMemoryStateStore(), clock: clock)
        var lease = LeaseSettings()
        lease.maxLeaseSeconds = 5
        lease.extendEverySeconds = 3
        let keeper = LeaseKeeper(table: table, subscription: subscription, settings: .init(lease), clock: clock, logger: .silent)
        let message = table.take(.request(1, receivedAt: clock.now), clock: clock)
        async let outcome = handler.handle(message)
        _ = try await restarter.started.take(1)
        clock.advance(by: .seconds(6))
        await keeper.extendOnce()
        #expect(await outcome == .nacked("lease_expired"))
        #expect(subscription.nacked.map(\.delivery.id) == [MessageID("m-1")])
        #expect(subscription.acked.isEmpty)
    }

    @Test func anExpiredLeaseRedeliversWithTheNextAttempt() async throws {
        let clock = ManualClock()
        let broker = InProcessBroker(settings: .init(ackDeadline: .seconds(10)), clock: clock)
        broker.request(2)
        await broker.publish([.request(1)])
        var deliveries = broker.deliveries.makeAsyncIterator()
        let first = try #require(await deliveries.next()?.first)
        #expect(first.attempt == 1)
        clock.advance(by: .seconds(9))
        broker.tick()
        #expect(broker.counts.outstanding == 1, "still leased before the deadline")
        clock.advance(by: .seconds(2))
        broker.tick()
        let second = try #require(await deliveries.next()?.first)
        #expect(second.id == first.id)
        #expect(second.attempt == 2)
        broker.ack(first)
        #expect(broker.counts.outstanding == 1, "a stale ack from the first delivery does not settle the second")
        broker.ack(second)
        #expect(broker.counts.outstanding == 0)
    }

    @Test func aMessagePastTheMaximumLeaseDuringTheBackoffIsNackedWithoutRetrying() async throws {
        let restarter = ScriptedRestarter { _, _ in throw RestartError(.retryable, "host unreachable") }
        let clock = ManualClock()
        let subscription = RecordingSubscription()
        let table = InFlightTable()
        var retry = RetrySettings()
        retry.initialBackoffSeconds = 60
        retry.maxBackoffSeconds = 60
        retry.jitter = 0
        let handler = MessageHandler(
            subscription: subscription, restarter: restarter, store: InMemoryStateStore(),
            settings: .init(retry: RetryPolicy(retry)), clock: clock, logger: .silent)
        var lease = LeaseSettings()
        lease.maxLeaseSeconds = 5
        let keeper = LeaseKeeper(table: table, subscription: subscription, settings: .init(lease), clock: clock, logger: .silent)
        let message = table.take(.request(1, receivedAt: clock.now), clock: clock)
        async let outcome = handler.handle(message)
        // The first attempt failed and the handler sleeps its 60 s backoff.
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(6))
        await keeper.extendOnce()
        #expect(await outcome == .nacked("lease_expired"))
        #expect(restarter.callCount == 1, "no second attempt after the lease expired")
        #expect(subscription.nacked.map(\.delivery.id) == [MessageID("m-1")])
    }

    @Test func gracefulDrainLetsInFlightMessagesFinishAndTakesNoMore() async throws {
        let release = Latch()
        let restarter = ScriptedRestarter { _, _ in try await release.wait() }
        var setup = PipelineHarness(restarter: restarter)
        setup.maxInFlight = 3
        let harness = setup
        await harness.publish(10)
        let consumer = harness.consumer
        async let run: Void = consumer.run()
        _ = try await restarter.started.take(3)
        harness.beginShutdown()
        release.open()
        await run
        #expect(harness.totals.snapshot.acked == 3)
        #expect(restarter.callCount == 3, "no new message was started after intake stopped")
        #expect(harness.broker.counts.waiting == 7)
        #expect(harness.records(.abandoned).isEmpty)
    }

    @Test func atTheDrainDeadlineInFlightMessagesAreCancelledNackedAndRecordedAbandoned() async throws {
        let restarter = ScriptedRestarter { _, _ in try await Latch().wait() }
        var setup = PipelineHarness(restarter: restarter)
        setup.maxInFlight = 4
        let harness = setup
        await harness.publish(4)
        let consumer = harness.consumer
        async let run: Void = consumer.run()
        _ = try await restarter.started.take(4)
        harness.beginShutdown()
        harness.shutdown.force(.drainDeadline)
        await run
        let totals = harness.totals.snapshot
        #expect(totals.abandoned == 4)
        #expect(totals.received == totals.acked + totals.nacked + totals.deadLettered + totals.abandoned)
        #expect(harness.records(.abandoned).count == 4)
        #expect(harness.broker.counts.waiting == 4, "abandoned messages are returned for redelivery")
        #expect(harness.broker.counts.outstanding == 0)
    }

    @Test func backoffGrowsByTheMultiplierUpToTheCap() {
        var settings = RetrySettings()
        settings.initialBackoffSeconds = 0.2
        settings.multiplier = 2
        settings.maxBackoffSeconds = 1
        settings.jitter = 0
        let policy = RetryPolicy(settings)
        var random = SplitMix64(seed: 1)
        let schedule = (1...5).map { policy.backoff(after: $0, random: &random).seconds }
        #expect(schedule.map { ($0 * 1000).rounded() } == [200, 400, 800, 1000, 1000])

        settings.jitter = 0.2
        let jittered = RetryPolicy(settings)
        for attempt in 1...3 {
            for _ in 0..<100 {
                let pause = jittered.backoff(after: attempt, random: &random).seconds
                let base = min(0.2 * Double(1 << (attempt - 1)), 1)
                #expect(pause >= base * 0.8 - 1e-9 && pause <= min(base * 1.2, 1) + 1e-9)
            }
        }
    }
}
