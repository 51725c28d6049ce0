import MandrillCore
import RedisServerLauncher
import Testing

/// A test's own connection to the fixture, to publish entries and inspect the group the
/// way an operator would (`XPENDING`, `XRANGE`, `XINFO`).
struct RedisStreamProbe: Sendable {
    static let stream = "test:restarts"
    static let group = "mandrill"
    static let deadLetterStream = "test:dead-letter"

    let connection: RedisConnection

    static func connect(_ server: LocalRedisServer) async throws -> RedisStreamProbe {
        RedisStreamProbe(connection: try await RedisConnection.connect(to: server.endpoint))
    }

    func close() { connection.close() }

    /// Sends one command; an error reply throws.
    @discardableResult
    func call(_ arguments: String...) async throws -> RESPValue {
        try await connection.send(arguments)
    }

    /// Publishes `count` well-formed requests and returns their ids.
    @discardableResult
    func publish(_ count: Int, prefix: String = "cattle") async throws -> [String] {
        let publisher = RedisStreamPublisher(sender: connection, stream: Self.stream, maxLength: 0)
        return try await publisher.publish((1...count).map { "\(prefix)-\($0).example.net" }, publishedAt: 1_700_000_000)
    }

    /// Appends an entry with arbitrary fields.
    @discardableResult
    func add(_ fields: [String]) async throws -> String {
        try #require(try await connection.send(["XADD", Self.stream, "*"] + fields).string)
    }

    /// Creates the group the way the subscription does (tests that prepare entries first).
    func createGroup() async throws {
        let reply = try await connection.send([["XGROUP", "CREATE", Self.stream, Self.group, "0", "MKSTREAM"]])[0]
        if let message = reply.errorMessage, !message.hasPrefix("BUSYGROUP") { throw RedisError.server(message) }
    }

    /// Entries pending in the group, for any consumer (`XPENDING` summary).
    func pendingCount() async throws -> Int {
        try #require(try await call("XPENDING", Self.stream, Self.group).array?.first?.int)
    }

    /// Entries pending for one consumer.
    func pendingCount(consumer: String) async throws -> Int {
        try #require(try await call("XPENDING", Self.stream, Self.group, "-", "+", "100000", consumer).array).count
    }

    /// Idle milliseconds and delivery count of a pending entry, or nil when it is not pending.
    func pendingEntry(_ id: String) async throws -> (consumer: String, idleMilliseconds: Int, deliveries: Int)? {
        let rows = try #require(try await call("XPENDING", Self.stream, Self.group, id, id, "1").array)
        guard let row = rows.first?.array, row.count == 4 else { return nil }
        return (row[1].string ?? "", row[2].int ?? -1, row[3].int ?? -1)
    }

    /// Entries the group has not read yet (`lag` of `XINFO GROUPS`).
    func lag() async throws -> Int {
        let groups = try #require(try await call("XINFO", "GROUPS", Self.stream).array)
        let fields = try #require(groups.first?.array)
        for index in stride(from: 0, to: fields.count - 1, by: 2) where fields[index].string == "lag" {
            return fields[index + 1].int ?? -1
        }
        return -1
    }

    /// The dead-letter stream's entries as field dictionaries.
    func deadLetters() async throws -> [[String: String]] {
        let entries = try #require(try await call("XRANGE", Self.deadLetterStream, "-", "+").array)
        return entries.map { entry in
            let values = entry.array?[1].array?.map { $0.string ?? "" } ?? []
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: values.count - 1, by: 2) { fields[values[index]] = values[index + 1] }
            return fields
        }
    }
}

extension RedisStreamSubscription.Settings {
    /// Test settings on the probe's stream and group, with short waits.
    static func test(
        consumer: String = "c1", reclaimIdle: Duration = .seconds(60), block: Duration = .milliseconds(500)
    ) -> Self {
        Self(
            stream: RedisStreamProbe.stream, group: RedisStreamProbe.group, consumer: consumer, block: block,
            reclaimIdle: reclaimIdle, deadLetterStream: RedisStreamProbe.deadLetterStream, maxLength: 0)
    }
}
