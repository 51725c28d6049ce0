import MandrillCore
import RedisServerLauncher
import Testing

/// Small helpers shared by the Redis tests.
enum RedisTestSupport {
    /// Waits (bounded) until the server reports `count` clients blocked in a command, so a
    /// test knows its blocking call has really reached the server.
    static func waitUntilBlockedClients(_ count: Int, on server: LocalRedisServer) async throws {
        let probe = try await RedisConnection.connect(to: server.endpoint)
        defer { probe.close() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            let info = try await probe.send(["INFO", "clients"]).string ?? ""
            if info.contains("blocked_clients:\(count)\r") { return }
            // The server offers no notification for this; poll briefly.
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("server never reported \(count) blocked clients")
    }

    /// How long `body` takes.
    static func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return start.duration(to: .now)
    }
}
