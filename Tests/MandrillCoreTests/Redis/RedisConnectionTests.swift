import Testing
@testable import MandrillCore
import RedisServerLauncher

@Suite(.requiresRedisServer) struct RedisConnectionTests {
    @Test func pingAnswersPong() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            #expect(try await connection.send(["PING"]) == .simpleString("PONG"))
        }
    }

    @Test func setThenGetReturnsTheValue() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            #expect(try await connection.send(["SET", "greeting", "héllo\r\nworld"]) == .simpleString("OK"))
            #expect(try await connection.send(["GET", "greeting"]).string == "héllo\r\nworld")
            #expect(try await connection.send(["GET", "missing"]).isNull)
        }
    }

    @Test func thousandPipelinedIncrsAnswerInOrder() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            let replies = try await connection.send(Array(repeating: ["INCR", "counter"], count: 1000))
            #expect(replies == (1 ... 1000).map { .integer($0) })
        }
    }

    @Test func concurrentCallsOnOneConnectionAreSerialized() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            let values = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0 ..< 50 { group.addTask { try await connection.send(["INCR", "n"]).int ?? -1 } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(values.sorted() == Array(1 ... 50))
        }
    }

    @Test func errorReplyIsAValueInAPipelineAndThrowsForOneCommand() async throws {
        try await LocalRedisServer.withServer { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            defer { connection.close() }
            let replies = try await connection.send([["SET", "k", "v"], ["NOSUCHCOMMAND"], ["GET", "k"]])
            #expect(replies[0] == .simpleString("OK"))
            #expect(replies[1].errorMessage?.hasPrefix("ERR unknown command") == true)
            #expect(replies[2].string == "v")
            await #expect {
                try await connection.send(["INCR", "k"])
            } throws: { error in
                guard case .server(let message)? = error as? RedisError else { return false }
                return message.contains("not an integer")
            }
            #expect(connection.isOpen, "an error reply does not break the connection")
        }
    }

    @Test func passwordAuthenticates() async throws {
        try await LocalRedisServer.withServer(password: "correct-horse") { server in
            let connection = try await RedisConnection.connect(to: server.endpoint)
            #expect(try await connection.send(["PING"]) == .simpleString("PONG"))
            connection.close()
            var withUser = server.endpoint
            withUser.username = "default"
            let userConnection = try await RedisConnection.connect(to: withUser)
            #expect(try await userConnection.send(["PING"]) == .simpleString("PONG"))
            userConnection.close()
        }
    }

    @Test func wrongPasswordFailsWithoutRevealingAnyPassword() async throws {
        try await LocalRedisServer.withServer(password: "correct-horse") { server in
            let wrong = server.endpoint.withPassword("battery-staple")
            do {
                _ = try await RedisConnection.connect(to: wrong)
                Issue.record("connect with a wrong password succeeded")
            } catch {
                guard case .authenticationFailed = error as? RedisError else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(!"\(error)".contains("battery-staple"))
                #expect(!"\(error)".contains("correct-horse"))
            }
        }
    }

    @Test func missingPasswordGetsTheServersNoAuthError() async throws {
        try await LocalRedisServer.withServer(password: "correct-horse") { server in
            let connection = try await RedisConnection.connect(to: server.endpoint.withPassword(nil))
            defer { connection.close() }
            await #expect(throws: RedisError.self) { try await connection.send(["GET", "k"]) }
        }
    }

    @Test func selectedDatabaseKeepsItsOwnKeys() async throws {
        try await LocalRedisServer.withServer { server in
            var databaseThree = server.endpoint
            databaseThree.database = 3
            let three = try await RedisConnection.connect(to: databaseThree)
            defer { three.close() }
            let zero = try await RedisConnection.connect(to: server.endpoint)
            defer { zero.close() }
            _ = try await three.send(["SET", "where", "three"])
            #expect(try await zero.send(["GET", "where"]).isNull)
            #expect(try await three.send(["GET", "where"]).string == "three")
            var outOfRange = server.endpoint
            outOfRange.database = 999
            await #expect {
                _ = try await RedisConnection.connect(to: outOfRange)
            } throws: { error in
                guard case .connectFailed(let reason)? = error as? RedisError else { return false }
                return reason.contains("SELECT 999")
            }
        }
    }

    @Test func unixSocketConnectionWorks() async throws {
        try await LocalRedisServer.withServer(unixSocket: true) { server in
            let endpoint = try RedisEndpoint(url: "unix://" + (server.unixSocketPath ?? "") + "?db=1")
            let connection = try await RedisConnection.connect(to: endpoint)
            defer { connection.close() }
            #expect(try await connection.send(["SET", "via", "unix"]) == .simpleString("OK"))
            #expect(try await connection.send(["INCRBY", "n", "2"]) == .integer(2))
        }
    }

    @Test func connectToAPortWithNoServerFailsClearly() async throws {
        let port = try LocalRedisServer.freePort()
        await #expect {
            _ = try await RedisConnection.connect(to: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)))
        } throws: { error in
            guard case .connectFailed(let reason)? = error as? RedisError else { return false }
            return reason.contains("127.0.0.1:\(port)") && reason.contains("refused")
        }
    }

    @Test func hostnamesAreResolved() async throws {
        try await LocalRedisServer.withServer { server in
            // localhost may resolve to ::1 first, where nothing listens; the next address works.
            let endpoint = try RedisEndpoint(url: "redis://localhost:\(server.port)/0")
            let connection = try await RedisConnection.connect(to: endpoint)
            defer { connection.close() }
            #expect(try await connection.send(["PING"]) == .simpleString("PONG"))
        }
    }

    @Test func replyBeyondTheParserLimitsIsAProtocolErrorThatBreaksTheConnection() async throws {
        try await LocalRedisServer.withServer { server in
            let options = RedisConnection.Options(parserLimits: RESPParser.Limits(maxBulkLength: 16))
            let connection = try await RedisConnection.connect(to: server.endpoint, options: options)
            _ = try await connection.send(["SET", "big", String(repeating: "x", count: 100)])
            await #expect {
                try await connection.send(["GET", "big"])
            } throws: { error in
                guard case .protocolError? = error as? RedisError else { return false }
                return true
            }
            #expect(!connection.isOpen)
        }
    }
}
