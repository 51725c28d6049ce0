import Foundation
import Testing

/// The built daemon under real signals: drains, exits 0 and accounts for every message.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShutdownProcessTests {
    static func loadConfig(drainSeconds: Double, minLatencyMs: Int = 50, maxLatencyMs: Int = 400, failureRate: Double = 0.2) -> [String: Any] {
        [
            "subscription": ["maxInFlight": 200, "inProcess": ["publishRatePerSecond": 400]],
            "restarter": ["simulated": ["minLatencyMs": minLatencyMs, "maxLatencyMs": maxLatencyMs, "failureRate": failureRate, "permanentFailureRate": 0.02]],
            "retry": ["initialBackoffSeconds": 0.05, "nackDelaySeconds": 0.1],
            "shutdown": ["drainTimeoutSeconds": drainSeconds],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
        ]
    }

    @Test func sigtermUnderLoadDrainsAndExitsZeroWithEveryMessageAccountedFor() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.loadConfig(drainSeconds: 3))
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Acked message.", count: 100)
        let signalled = ContinuousClock.now
        daemon.send(SIGTERM)
        let status = try await daemon.waitForExit()
        let elapsed = signalled.duration(to: .now)
        #expect(status == 0)
        #expect(elapsed < .seconds(5), "exit within drainTimeoutSeconds + 2 s, took \(elapsed)")
        let summary = try #require(daemon.lines(containing: "Shutdown complete.").first)
        #expect(summary.contains("exit_code=0"))
        let state = try await workspace.status(config: config)
        let received = state.total("received")
        #expect(received >= 100)
        #expect(received == state.total("acked") + state.total("nacked") + state.total("dead_lettered") + state.total("abandoned"))
        #expect((state["in_doubt"] as? [Any])?.isEmpty == true)
    }

    @Test func aSecondSignalSkipsTheRestOfTheDrain() async throws {
        let workspace = try TestWorkspace()
        // Restarts take 60 s and the drain would wait 120 s: only the second signal ends it.
        let config = try workspace.config(Self.loadConfig(drainSeconds: 120, minLatencyMs: 60_000, maxLatencyMs: 60_000, failureRate: 0))
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Restarting host.", count: 20)
        daemon.send(SIGINT)
        try await daemon.waitForLine("Shutting down gracefully")
        let second = ContinuousClock.now
        daemon.send(SIGINT)
        let status = try await daemon.waitForExit()
        #expect(status == 0)
        #expect(second.duration(to: .now) < .seconds(5))
        #expect(daemon.lines(containing: "skipping the rest of the drain").count == 1)
        let state = try await workspace.status(config: config)
        #expect(state.total("abandoned") >= 20)
        #expect(state.total("received") == state.total("acked") + state.total("nacked") + state.total("dead_lettered") + state.total("abandoned"))
    }

    @Test func maxMessagesStopsOnItsOwnAfterThatManyMessagesFinish() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.loadConfig(drainSeconds: 20, minLatencyMs: 5, maxLatencyMs: 30))
        let result = try await DaemonProcess.run(["run", "--max-messages", "50", "--config", config])
        #expect(result.status == 0)
        let state = try await workspace.status(config: config)
        #expect(state.total("received") == 50)
        #expect(state.total("acked") + state.total("nacked") + state.total("dead_lettered") + state.total("abandoned") == 50)
        #expect(state.total("abandoned") == 0)
    }

    @Test func durationStopsTheDaemonGracefully() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.loadConfig(drainSeconds: 5, minLatencyMs: 5, maxLatencyMs: 20))
        let result = try await DaemonProcess.run(["run", "--duration", "1", "--config", config])
        #expect(result.status == 0)
        #expect(result.stderr.contains("Run duration elapsed"))
    }
}

/// Exit codes for bad input.
struct CommandLineProcessTests {
    @Test func aBadConfigurationExits78NamingThePath() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(["restarter": ["comand": ["argv": ["true"]]]])
        let result = try await DaemonProcess.run(["run", "--config", config])
        #expect(result.status == 78)
        #expect(result.stderr.contains("restarter.comand: unknown key"))

        let invalid = try workspace.config(["lease": ["ackDeadlineSeconds": -1]], name: "invalid.json")
        let check = try await DaemonProcess.run(["check-config", "--config", invalid])
        #expect(check.status == 78)
        #expect(check.stderr.contains("lease.ackDeadlineSeconds"))
    }

    @Test func aBadFlagExits64WithUsage() async throws {
        let result = try await DaemonProcess.run(["run", "--max-mesages", "5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown option --max-mesages"))
        #expect(result.stderr.contains("usage:"))
        let badNumber = try await DaemonProcess.run(["run", "--max-messages", "many"])
        #expect(badNumber.status == 64)
        let unknown = try await DaemonProcess.run(["restart-everything"])
        #expect(unknown.status == 64)
    }

    @Test func checkConfigPrintsTheEffectiveConfiguration() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(["subscription": ["maxInFlight": 7]])
        let result = try await DaemonProcess.run(["check-config", "--config", config])
        #expect(result.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["subscription"] as? [String: Any])?["maxInFlight"] as? Int == 7)
        #expect((object["lease"] as? [String: Any])?["ackDeadlineSeconds"] as? Double == 10)
    }

    @Test func helpAndVersion() async throws {
        let help = try await DaemonProcess.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("check-config"))
        let version = try await DaemonProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("mandrill "))
    }
}
