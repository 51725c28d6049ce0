import Foundation
import Testing
@testable import MandrillCore
import RedisServerLauncher

/// The Redis subscription with the real pipeline against a private redis-server.
@Suite(.requiresRedisServer, .timeLimit(.minutes(1)))
struct RedisStreamSubscriptionTests {
    @Test func everyPublishedEntryIsAckedAndNothingStaysPending() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.publish(1000)
            let harness = RedisPipelineHarness(server: server, maxInFlight: 100)
            let running = harness.start()
            try await eventually(timeout: .seconds(15)) { harness.totals.snapshot.acked == 1000 }
            try await eventually { (try? await probe.pendingCount()) == 0 }
            await running.stop()
            #expect(harness.restarter.callCount == 1000)
            #expect(try await probe.lag() == 0)
            let consumers = try await probe.call("XINFO", "CONSUMERS", RedisStreamProbe.stream, RedisStreamProbe.group)
            #expect(consumers.array?.isEmpty == true, "a consumer with nothing pending removes itself on close")
            #expect(harness.store.records.filter { $0.kind == .received }.allSatisfy { $0.attempt == 1 })
        }
    }

    @Test func neverHoldsMoreEntriesThanTheConsumerHasRoomFor() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.publish(40)
            let release = Latch()
            let harness = RedisPipelineHarness(
                server: server, maxInFlight: 5, restarter: ScriptedRestarter { _, _ in try await release.wait() })
            let running = harness.start()
            _ = try await harness.restarter.started.take(5)
            #expect(try await probe.pendingCount(consumer: "c1") == 5)
            #expect(try await probe.lag() == 35)
            #expect(harness.subscription.heldCount == 5)
            release.open()
            try await eventually { harness.totals.snapshot.acked == 40 }
            try await eventually { (try? await probe.pendingCount()) == 0 }
            await running.stop()
            #expect(harness.restarter.peakConcurrency == 5)
        }
    }

    @Test func malformedAndOverDeliveredEntriesAreDeadLetteredWithTheirReason() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.createGroup()
            // Delivered five times already to a consumer that died, and idle for ten minutes.
            let tired = try await probe.add(["host", "tired.example.net"])
            try await probe.call("XREADGROUP", "GROUP", RedisStreamProbe.group, "ghost", "COUNT", "1", "STREAMS", RedisStreamProbe.stream, ">")
            try await probe.call(
                "XCLAIM", RedisStreamProbe.stream, RedisStreamProbe.group, "ghost", "0", tired, "IDLE", "600000",
                "RETRYCOUNT", "5", "JUSTID")
            let noHost = try await probe.add(["hostname", "oops.example.net"])
            let emptyHost = try await probe.add(["host", ""])
            let good = try await probe.add(["host", "fine.example.net"])
            var retry = RetrySettings()
            retry.maxDeliveries = 5
            let harness = RedisPipelineHarness(server: server, settings: .test(reclaimIdle: .seconds(1)), retry: retry)
            let running = harness.start()
            try await eventually { (try? await probe.deadLetters().count) == 3 }
            try await eventually { (try? await probe.pendingCount()) == 0 }
            await running.stop()
            let letters = try await probe.deadLetters()
            let byID = Dictionary(uniqueKeysWithValues: letters.map { ($0["original_id"] ?? "", $0) })
            #expect(byID[noHost]?["reason"] == "malformed: no host field")
            #expect(byID[noHost]?["hostname"] == "oops.example.net", "the original fields are kept")
            #expect(byID[emptyHost]?["reason"] == "malformed: empty host field")
            #expect(byID[tired]?["reason"] == "max_deliveries: delivered 6 times")
            #expect(byID[tired]?["delivery_count"] == "6")
            #expect(byID[tired]?["host"] == "tired.example.net")
            #expect(harness.restarter.callCount == 1)
            #expect(harness.store.records.contains { $0.kind == .acked && $0.messageID.rawValue == good })
        }
    }

    @Test func pendingEntryTrimmedFromTheStreamIsDeadLetteredNotLost() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.createGroup()
            let gone = try await probe.add(["host", "gone.example.net"])
            try await probe.call("XREADGROUP", "GROUP", RedisStreamProbe.group, "ghost", "COUNT", "1", "STREAMS", RedisStreamProbe.stream, ">")
            try await probe.call("XCLAIM", RedisStreamProbe.stream, RedisStreamProbe.group, "ghost", "0", gone, "IDLE", "600000", "JUSTID")
            try await probe.call("XDEL", RedisStreamProbe.stream, gone)
            let harness = RedisPipelineHarness(server: server, settings: .test(reclaimIdle: .seconds(1)))
            let running = harness.start()
            try await eventually { (try? await probe.deadLetters().count) == 1 }
            await running.stop()
            let letter = try #require(try await probe.deadLetters().first)
            #expect(letter["original_id"] == gone)
            #expect(letter["reason"] == "malformed: entry trimmed from the stream")
            #expect(try await probe.pendingCount() == 0)
            #expect(harness.restarter.callCount == 0)
        }
    }

    @Test func slowRestartIsNotStolenWhileItsLeaseIsExtended() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.publish(1)
            // The restart outlasts the reclaim idle time 2.5 times over.
            let slow = RedisPipelineHarness(
                server: server, settings: .test(consumer: "slow", reclaimIdle: .seconds(1)),
                restarter: ScriptedRestarter { _, _ in try await Task.sleep(for: .milliseconds(2500)) })
            let rival = RedisPipelineHarness(server: server, settings: .test(consumer: "rival", reclaimIdle: .seconds(1)))
            let slowRun = slow.start()
            _ = try await slow.restarter.started.take(1)
            let rivalRun = rival.start()
            try await eventually(timeout: .seconds(6)) { slow.totals.snapshot.acked == 1 }
            try await eventually { (try? await probe.pendingCount()) == 0 }
            await rivalRun.stop()
            await slowRun.stop()
            #expect(rival.totals.snapshot.received == 0, "the rival reclaimed a message whose lease was being extended")
            #expect(slow.restarter.callCount == 1)
        }
    }

    @Test func nackedEntryBecomesReclaimableAfterItsDelay() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            let id = try #require(try await probe.publish(1).first)
            let subscription = RedisStreamSubscription(
                endpoint: server.endpoint, settings: .test(reclaimIdle: .seconds(1)), logger: .silent)
            let running = Task { try await subscription.run() }
            var deliveries = subscription.deliveries.makeAsyncIterator()
            subscription.request(1)
            let first = try #require(await deliveries.next()?.first)
            #expect(first.attempt == 1)
            let nackedAt = ContinuousClock.now
            subscription.nack(first, delay: .milliseconds(400))
            // Idle time set to reclaimIdle - delay: reclaimable 0.4 s from now.
            try await eventually { ((try? await probe.pendingEntry(id))?.idleMilliseconds ?? 0) >= 600 }
            subscription.request(1)
            let second = try #require(await deliveries.next()?.first)
            let waited = nackedAt.duration(to: .now)
            #expect(second.id == first.id)
            #expect(second.attempt == 2)
            #expect(waited >= .milliseconds(350), "redelivered after \(waited), before the nack delay")
            subscription.ack(second)
            try await eventually { (try? await probe.pendingCount()) == 0 }
            running.cancel()
            await subscription.close()
        }
    }

    @Test func reconnectsAfterRedisRestartsAndSendsTheAcksQueuedMeanwhile() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            try await probe.publish(50)
            let release = Latch()
            let harness = RedisPipelineHarness(
                server: server, maxInFlight: 20, restarter: ScriptedRestarter { _, _ in try await release.wait() })
            let running = harness.start()
            _ = try await harness.restarter.started.take(20)
            // Persist the group (20 pending) so the restarted server still knows it.
            try await probe.call("SAVE")
            probe.close()
            await server.kill()
            try await eventually { !harness.subscription.isReady }
            release.open()
            try await eventually { harness.totals.snapshot.acked == 20 }
            #expect(harness.subscription.unsentSettlements == 20, "acks wait while Redis is down")
            try await server.restart()
            let after = try await RedisStreamProbe.connect(server)
            defer { after.close() }
            try await eventually(timeout: .seconds(10)) { harness.totals.snapshot.acked == 50 }
            try await eventually { (try? await after.pendingCount()) == 0 }
            #expect(harness.subscription.isReady)
            await running.stop()
            #expect(try await after.lag() == 0)
            #expect(harness.restarter.callCount == 50)
        }
    }

    @Test func stopIntakeEndsABlockingReadAtOnceAndLeavesUnfinishedEntriesPending() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.publish(2)
            let subscription = RedisStreamSubscription(
                endpoint: server.endpoint, settings: .test(block: .seconds(10)), logger: .silent)
            let running = Task { try await subscription.run() }
            subscription.request(5)
            let taken = try await subscription.deliveries.takeDeliveries(2)
            subscription.ack(taken[0])
            try await RedisTestSupport.waitUntilBlockedClients(1, on: server)
            let stopping = await RedisTestSupport.elapsed {
                subscription.stopIntake()
                for await _ in subscription.deliveries {}
            }
            #expect(stopping < .seconds(1))
            #expect(!subscription.isReady)
            running.cancel()
            await subscription.close()
            #expect(try await probe.pendingCount() == 1, "the finished entry is acked, the unfinished one stays pending")
            #expect(try await probe.pendingEntry(taken[1].id.rawValue) != nil)
        }
    }

    @Test func ownPendingEntriesComeFirstWithTheirDeliveryCount() async throws {
        try await LocalRedisServer.withServer { server in
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            let old = try await probe.publish(3, prefix: "old")
            let crashed = RedisStreamSubscription(endpoint: server.endpoint, settings: .test(consumer: "fixed"), logger: .silent)
            let crashedRun = Task { try await crashed.run() }
            crashed.request(3)
            _ = try await crashed.deliveries.takeDeliveries(3)
            crashedRun.cancel()
            await crashed.close()
            let new = try await probe.publish(2, prefix: "new")

            let restarted = RedisStreamSubscription(endpoint: server.endpoint, settings: .test(consumer: "fixed"), logger: .silent)
            let running = Task { try await restarted.run() }
            restarted.request(10)
            let deliveries = try await restarted.deliveries.takeDeliveries(5)
            #expect(deliveries.map(\.id.rawValue) == old + new)
            #expect(deliveries.map(\.attempt) == [2, 2, 2, 1, 1])
            running.cancel()
            await restarted.close()
        }
    }

    @Test func passwordFromAFileLogsIn() async throws {
        try await LocalRedisServer.withServer(password: "s3cret-pass") { server in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-redis-\(UUID().uuidString)")
            try Data("s3cret-pass\n".utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            guard case .tcp(_, let port) = server.endpoint.address else { return }
            let endpoint = try RedisPasswordSource(passwordFile: file.path, environment: [:])
                .endpoint(url: "redis://:wrong@127.0.0.1:\(port)/0")
            let subscription = RedisStreamSubscription(endpoint: endpoint, settings: .test(), logger: .silent)
            let running = Task { try await subscription.run() }
            let probe = try await RedisStreamProbe.connect(server)
            defer { probe.close() }
            try await probe.publish(1)
            subscription.request(1)
            let delivery = try #require(try await subscription.deliveries.takeDeliveries(1).first)
            #expect(delivery.hostname == "cattle-1.example.net")
            running.cancel()
            await subscription.close()
        }
    }
}
