import Synchronization
import Testing
@testable import MandrillCore
import RedisServerLauncher

/// A clock whose sleeps return at once, advancing its time and recording the duration.
private final class SleepRecordingClock: MandrillClock {
    private let base = ContinuousClock.now
    private let state = Mutex((offset: Duration.zero, sleeps: [Duration]()))

    var now: ContinuousClock.Instant { base.advanced(by: state.withLock { $0.offset }) }
    var wallTime: Double { 1_800_000_000 + state.withLock { $0.offset }.seconds }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        state.withLock { state in
            let wait = base.advanced(by: state.offset).duration(to: deadline)
            state.sleeps.append(wait)
            state.offset += max(.zero, wait)
        }
    }
}

/// Collects the client's state-change events.
private final class EventLog: Sendable {
    private let events = Mutex<[RedisClient.Event]>([])
    func record(_ event: RedisClient.Event) { events.withLock { $0.append(event) } }
    var all: [RedisClient.Event] { events.withLock { $0 } }
}

@Suite struct RedisClientTests {
    @Test func backoffDoublesFromTheInitialDelayUpToTheCap() {
        let backoff = RedisReconnectBackoff()
        let delays = (0 ... 9).map { backoff.delay(afterFailures: $0) }
        #expect(delays == [0, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { .milliseconds($0) })
        #expect(backoff.delay(afterFailures: Int.max) == .seconds(5))
    }

    @Test func failedConnectAttemptsWaitOutTheBackoffOnTheInjectedClock() async throws {
        let port = try LocalRedisServer.freePort()
        let clock = SleepRecordingClock()
        let events = EventLog()
        let client = RedisClient(
            endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)),
            clock: clock, onStateChange: events.record)
        defer { client.close() }
        for _ in 0 ..< 8 {
            await #expect(throws: RedisError.self) { try await client.send(["PING"]) }
        }
        #expect(clock.sleeps == [100, 200, 400, 800, 1600, 3200, 5000].map { .milliseconds($0) })
        #expect(client.consecutiveFailures == 8)
        #expect(!client.isConnected)
        let attempts = events.all.compactMap { event -> Int? in
            guard case .connectFailed(.connectFailed, let attempt, _) = event else { return nil }
            return attempt
        }
        #expect(attempts == Array(1 ... 8))
        #expect(events.all.first == .connectFailed(
            .connectFailed("127.0.0.1:\(port): Connection refused"), attempt: 1, retryIn: .milliseconds(100)))
    }

    @Test func cancellingACallThatWaitsOutTheBackoffReturnsPromptly() async throws {
        let port = try LocalRedisServer.freePort()
        let client = RedisClient(
            endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)),
            backoff: RedisReconnectBackoff(initialDelay: .seconds(60)))
        defer { client.close() }
        await #expect(throws: RedisError.self) { try await client.send(["PING"]) }
        let waiting = Task { try await client.send(["PING"]) }
        let elapsed = await RedisTestSupport.elapsed {
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
        }
        #expect(elapsed < Promptly.bound)
    }

    @Test func closedClientRefusesCalls() async throws {
        let client = RedisClient(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: 1)))
        client.close()
        await #expect(throws: RedisError.connectionClosed) { try await client.send(["PING"]) }
    }
}

@Suite(.requiresRedisServer) struct RedisClientServerTests {
    @Test func connectsLazilyAndReportsReadiness() async throws {
        try await LocalRedisServer.withServer { server in
            let events = EventLog()
            let client = RedisClient(endpoint: server.endpoint, onStateChange: events.record)
            defer { client.close() }
            #expect(!client.isConnected)
            let replies = try await withThrowingTaskGroup(of: RESPValue.self) { group in
                for _ in 0 ..< 20 { group.addTask { try await client.send(["PING"]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies == Array(repeating: .simpleString("PONG"), count: 20))
            #expect(client.isConnected)
            #expect(events.all == [.connected(attempt: 1)], "concurrent first calls share one connect")
            client.close()
            #expect(!client.isConnected)
            await #expect(throws: RedisError.connectionClosed) { try await client.send(["PING"]) }
        }
    }

    @Test func reconnectsAfterTheServerIsKilledAndRestarted() async throws {
        try await LocalRedisServer.withServer { server in
            let events = EventLog()
            let client = RedisClient(
                endpoint: server.endpoint,
                backoff: RedisReconnectBackoff(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50)),
                onStateChange: events.record)
            defer { client.close() }
            #expect(try await client.send(["SET", "k", "before"]) == .simpleString("OK"))

            await server.kill()
            await #expect(throws: RedisError.self) { try await client.send(["PING"]) }
            #expect(!client.isConnected)
            await #expect(throws: RedisError.self) { try await client.send(["PING"]) }

            try await server.restart()
            var reply: RESPValue?
            // Bounded: each failed call waits out at most 50 ms of backoff.
            for _ in 0 ..< 100 where reply == nil {
                reply = try? await client.send(["PING"])
            }
            #expect(reply == .simpleString("PONG"))
            #expect(client.isConnected)
            #expect(try await client.send(["GET", "k"]).isNull, "a restarted server without persistence is empty")

            let log = events.all
            #expect(log.first == .connected(attempt: 1))
            #expect(log.contains { if case .disconnected = $0 { true } else { false } })
            #expect(log.contains { if case .connectFailed(_, 1, .milliseconds(10)) = $0 { true } else { false } })
            guard case .connected(let attempt)? = log.last else {
                Issue.record("last event is not a reconnect: \(log)")
                return
            }
            #expect(attempt >= 2)
        }
    }
}
