import Foundation
import MandrillCore
import RedisServerLauncher
import Testing

/// `mandrill publish` and daemons sharing one Redis consumer group, each test with its own
/// redis-server.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RedisProcessTests {
    static let stream = "mandrill:restarts"
    static let group = "mandrill"

    static func config(_ server: LocalRedisServer, state: String, redis: [String: Any] = [:], lease: [String: Any] = [:], maxInFlight: Int = 100, latencyMs: (Int, Int) = (1, 5)) -> [String: Any] {
        var redisSettings: [String: Any] = ["url": server.url, "blockMilliseconds": 200]
        redisSettings.merge(redis) { $1 }
        return [
            "subscription": ["kind": "redis", "maxInFlight": maxInFlight, "redis": redisSettings],
            "lease": lease,
            "restarter": ["simulated": [
                "minLatencyMs": latencyMs.0, "maxLatencyMs": latencyMs.1, "failureRate": 0, "permanentFailureRate": 0,
            ]],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
            "state": ["directory": state],
            "metrics": ["listen": ""],
        ]
    }

    /// Message ids on log lines with `msg="<message>"`.
    static func ids(_ lines: [String], _ message: String) -> Set<String> {
        Set(lines.filter { $0.contains("msg=\"\(message)\"") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("msg_id=") }.map { String($0.dropFirst(7)) }
        })
    }

    /// Pending entries of the group (`XPENDING` summary) and entries it has not read (`lag`).
    static func backlog(_ server: LocalRedisServer) async throws -> (pending: Int, lag: Int) {
        let probe = try await server.connect()
        defer { probe.close() }
        let pending = try await probe.send(["XPENDING", stream, group]).array?.first?.int ?? -1
        let fields = try await probe.send(["XINFO", "GROUPS", stream]).array?.first?.array ?? []
        var lag = -1
        for index in stride(from: 0, to: fields.count - 1, by: 2) where fields[index].string == "lag" {
            lag = fields[index + 1].int ?? -1
        }
        return (pending, lag)
    }

    @Test(.requiresRedisServer) func publishedRequestsAreAllAckedByOneDaemonAndNoneStayPending() async throws {
        try await LocalRedisServer.withServer { try await publishedRequestsAreAllAcked(server: $0) }
    }

    private func publishedRequestsAreAllAcked(server: LocalRedisServer) async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.config(server, state: workspace.stateDirectory))
        let hosts = (1...1000).map { "cattle-\($0).example.net" }
        // stdout goes to a file: read after exit, it is complete (a pipe reader may lag behind).
        let output = workspace.url.appendingPathComponent("published.txt").path
        let publish = try DaemonProcess(
            ["-c", "exec \"$0\" \"$@\" > '\(output)'", DaemonProcess.executable("mandrill"), "publish", "--config", config] + hosts,
            executable: "/bin/sh")
        defer { publish.terminate() }
        #expect(try await publish.waitForExit() == 0, "\(publish.log.suffix(5))")
        let ids = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(ids.count == 1000 && Set(ids).count == 1000)

        let daemon = try DaemonProcess(["run", "--max-messages", "1000", "--config", config])
        defer { daemon.terminate() }
        #expect(try await daemon.waitForExit(timeout: .seconds(20)) == 0)
        #expect(Self.ids(daemon.log, "Acked message.") == Set(ids))
        let backlog = try await Self.backlog(server)
        #expect(backlog.pending == 0 && backlog.lag == 0, "group left with \(backlog)")
    }

    @Test(.requiresRedisServer) func survivorReclaimsTheWorkOfAKilledDaemonAndNothingIsLost() async throws {
        try await LocalRedisServer.withServer { try await survivorReclaimsTheWork(server: $0) }
    }

    private func survivorReclaimsTheWork(server: LocalRedisServer) async throws {
        let publisher = try await server.connect()
        let ids = try await RedisStreamPublisher(sender: publisher, stream: Self.stream, maxLength: 0)
            .publish((1...2000).map { "cattle-\($0).example.net" }, publishedAt: Date().timeIntervalSince1970)
        publisher.close()
        let workspace = try TestWorkspace()
        func daemonConfig(_ name: String) throws -> String {
            try workspace.config(
                Self.config(
                    server, state: workspace.url.appendingPathComponent("state-\(name)").path,
                    redis: ["reclaimIdleSeconds": 2], lease: ["ackDeadlineSeconds": 1, "extendEverySeconds": 0.3],
                    maxInFlight: 50, latencyMs: (20, 60)),
                name: "\(name).json")
        }
        let victim = try DaemonProcess(["run", "--config", try daemonConfig("victim")])
        defer { victim.terminate() }
        let survivor = try DaemonProcess(["run", "--config", try daemonConfig("survivor")])
        defer { survivor.terminate() }
        try await victim.waitForLine("Acked message.", count: 200)
        victim.send(SIGKILL)
        _ = try await victim.waitForExit()

        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var backlog = try await Self.backlog(server)
        while backlog != (0, 0) && ContinuousClock.now < deadline {
            // Redis offers no notification for an empty pending list.
            try await Task.sleep(for: .milliseconds(100))
            backlog = try await Self.backlog(server)
        }
        #expect(backlog == (0, 0), "group left with \(backlog)")
        survivor.send(SIGTERM)
        #expect(try await survivor.waitForExit() == 0)
        #expect(!survivor.lines(containing: "Reclaimed entries idle past the reclaim time.").isEmpty)
        let finished = Self.ids(victim.log, "Acked message.").union(Self.ids(survivor.log, "Acked message."))
        let missing = Set(ids).subtracting(finished)
        #expect(missing.isEmpty, "\(missing.count) message(s) never finished, e.g. \(missing.sorted().prefix(3))")
    }

    @Test func publishWithTheInProcessBrokerExplainsItNeedsRedis() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(["subscription": ["kind": "in-process"]])
        let result = try await DaemonProcess.run(["publish", "--config", config, "a.example.net"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("subscription.kind"))
        #expect(result.stdout.isEmpty)
    }

    @Test func publishToAnUnreachableRedisExits69WithoutThePassword() async throws {
        let workspace = try TestWorkspace()
        let port = try LocalRedisServer.freePort()
        let config = try workspace.config([
            "subscription": ["kind": "redis", "redis": ["url": "redis://:hunter2@127.0.0.1:\(port)/0"]],
        ])
        let result = try await DaemonProcess.run(["publish", "--config", config, "a.example.net"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("cannot reach Redis"))
        #expect(!result.stderr.contains("hunter2"))
    }
}
