import Foundation
import Glibc
import MandrillCore
import RedisServerLauncher

/// End to end through a local `redis-server` started on a free loopback port: requests are
/// published with pipelined `XADD`s while one consumer reads them through the real
/// `RedisStreamSubscription` and the real pipeline (journal in memory, zero-latency
/// restarts), so the number is Redis's round trips plus the pipeline.
enum RedisScenario {
    static let maxInFlight = 1_000
    static let publishBatch = 1_000

    static func run(_ options: BenchOptions) async -> BenchLine {
        var line = BenchLine(scenario: .redis)
        guard LocalRedisServer.isAvailable else {
            line["skipped"] = .text("redis-server not found on PATH, /usr/bin or /usr/local/bin")
            return line
        }
        let server: LocalRedisServer
        do {
            server = try await LocalRedisServer()
        } catch {
            line["skipped"] = .text("redis-server did not start: \(error)")
            return line
        }
        let measured = await measure(options, endpoint: server.endpoint)
        await server.stop()
        return measured
    }

    static func measure(_ options: BenchOptions, endpoint: RedisEndpoint) async -> BenchLine {
        let count = options.messageCount(for: .redis)
        var settings = RedisSettings()
        settings.stream = "bench:restarts"
        settings.group = "bench"
        settings.consumer = "bench-1"
        settings.blockMilliseconds = 100
        settings.maxLength = 0
        let subscription = RedisStreamSubscription(
            endpoint: endpoint, settings: .init(settings), logger: .silent)
        let publisherClient = RedisClient(endpoint: endpoint)
        let publisher = RedisStreamPublisher(sender: publisherClient, stream: settings.stream, maxLength: 0)
        let rig = PipelineRig(
            feed: subscription,
            publish: { stopWhen in
                var published = 0
                while published < count && !stopWhen() {
                    let size = min(publishBatch, count - published)
                    let hosts = (published..<published + size).map { "cattle-\($0 % 1000).example.net" }
                    _ = try await publisher.publish(hosts, publishedAt: SystemClock.wallTime())
                    published += size
                }
            },
            store: InMemoryStateStore(keepRecords: false, reservingInFlight: maxInFlight),
            settings: .init(maxInFlight: maxInFlight, maxMessages: count, restartLatencyMs: 0, recordLatency: options.recordLatency))
        let outcome = await rig.run()
        publisherClient.close()
        var line = BenchLine(
            scenario: .redis, messages: count, seconds: outcome.seconds,
            latency: outcome.subscription.publishToAck, baselineRate: options.baselineRate)
        line["handling_p50_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.50))
        line["handling_p99_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.99))
        line["max_in_flight"] = .int(maxInFlight)
        line["store"] = .text("memory")
        line["acked"] = .int(outcome.totals.acked)
        line["unaccounted"] = .int(outcome.unaccounted)
        return line
    }
}
