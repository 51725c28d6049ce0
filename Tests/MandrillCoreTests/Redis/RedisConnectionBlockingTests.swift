import Testing
@testable import MandrillCore
import RedisServerLauncher

@Suite(.requiresRedisServer) struct RedisConnectionBlockingTests {
    private static let blockForever = ["XREAD", "BLOCK", "0", "STREAMS", "events", "$"]

    @Test func closeUnblocksABlockedReadPromptly() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            let blocked = Task { try await connection.send([Self.blockForever], readTimeout: .seconds(60)) }
            try await RedisTestSupport.waitUntilBlockedClients(1, on: server)
            let elapsed = await RedisTestSupport.elapsed {
                connection.close()
                await #expect(throws: RedisError.connectionClosed) { try await blocked.value }
            }
            #expect(elapsed < Promptly.bound)
            #expect(!connection.isOpen)
            await #expect(throws: RedisError.connectionClosed) { try await connection.send(["PING"]) }
        }
    }

    @Test func cancellationUnblocksABlockedReadPromptly() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            let blocked = Task { try await connection.send([Self.blockForever], readTimeout: .seconds(60)) }
            try await RedisTestSupport.waitUntilBlockedClients(1, on: server)
            let elapsed = await RedisTestSupport.elapsed {
                blocked.cancel()
                await #expect(throws: CancellationError.self) { try await blocked.value }
            }
            #expect(elapsed < Promptly.bound)
            await #expect(throws: RedisError.connectionClosed) { try await connection.send(["PING"]) }
        }
    }

    @Test func cancellingAQueuedCallLeavesTheConnectionUsable() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            let first = Task { try await connection.send(["BLPOP", "jobs", "10"], readTimeout: .seconds(15)) }
            try await RedisTestSupport.waitUntilBlockedClients(1, on: server)
            let queued = Task { try await connection.send(["PING"]) }
            queued.cancel()
            await #expect(throws: CancellationError.self) { try await queued.value }
            let pusher = try await RedisConnection.connect(to: server.endpoint)
            defer { pusher.close() }
            _ = try await pusher.send(["RPUSH", "jobs", "one"])
            #expect(try await first.value.array == [.bulk("jobs"), .bulk("one")])
            #expect(try await connection.send(["PING"]) == .simpleString("PONG"))
        }
    }

    @Test func readTimeoutFiresAndBreaksTheConnection() async throws {
        try await LocalRedisServer.withServer { server in
            let options = RedisConnection.Options(readTimeout: .milliseconds(200))
            let connection = try await RedisConnection.connect(to: server.endpoint, options: options)
            let elapsed = await RedisTestSupport.elapsed {
                await #expect(throws: RedisError.timeout) { try await connection.send(Self.blockForever) }
            }
            #expect(elapsed >= .milliseconds(200) && elapsed < Promptly.bound)
            #expect(!connection.isOpen)
        }
    }

    @Test func perCallReadTimeoutLetsABlockingCommandWaitLonger() async throws {
        try await LocalRedisServer.withServer { server in
            let options = RedisConnection.Options(readTimeout: .milliseconds(100))
            let connection = try await RedisConnection.connect(to: server.endpoint, options: options)
            defer { connection.close() }
            let reply = try await connection.send(
                ["XREAD", "BLOCK", "300", "STREAMS", "events", "$"], readTimeout: .seconds(5))
            #expect(reply.isNull)
            #expect(connection.isOpen)
        }
    }
}
