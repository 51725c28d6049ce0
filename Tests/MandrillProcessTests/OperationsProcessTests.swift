import Foundation
import Testing

/// Operating the daemon: reloads, the in-flight dump, metrics, systemd.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct OperationsProcessTests {
    static func slowConfig(_ extra: [String: Any] = [:]) -> [String: Any] {
        var config: [String: Any] = [
            "subscription": ["maxInFlight": 10, "inProcess": ["publishRatePerSecond": 200]],
            "restarter": ["simulated": ["minLatencyMs": 60_000, "maxLatencyMs": 60_000, "failureRate": 0, "permanentFailureRate": 0]],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
            "shutdown": ["drainTimeoutSeconds": 0.5],
        ]
        for (key, value) in extra { config[key] = value }
        return config
    }

    @Test func sighupAppliesAValidFileAndKeepsTheOldSettingsForAnInvalidOne() async throws {
        let workspace = try TestWorkspace()
        var settings = Self.slowConfig()
        settings["logging"] = ["level": "info"]
        let config = try workspace.config(settings)
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Pulled message.", count: 3)
        #expect(daemon.lines(containing: "level=debug").isEmpty)

        settings["logging"] = ["level": "debug"]
        _ = try workspace.config(settings)
        daemon.send(SIGHUP)
        try await daemon.waitForLine("Reloaded configuration.")
        daemon.send(SIGUSR1)
        try await daemon.waitForLine("In-flight dump.")

        try "{\"lease\": {\"ackDeadlineSeconds\": -3}}".write(toFile: config, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await daemon.waitForLine("Configuration reload refused; keeping the current settings.")
        #expect(daemon.lines(containing: "Configuration reload refused").first?.contains("lease.ackDeadlineSeconds") == true)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(!daemon.lines(containing: "level=debug").isEmpty, "the reloaded debug level took effect")
    }

    @Test func sigusr1DumpNamesEveryInFlightMessage() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.slowConfig())
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Pulled message.", count: 10)
        let inFlight = Set(daemon.lines(containing: "Pulled message.").compactMap(Self.messageID))
        #expect(inFlight.count == 10)
        daemon.send(SIGUSR1)
        try await daemon.waitForLine("In-flight message.", count: 10)
        let dumped = daemon.lines(containing: "In-flight message.")
        #expect(Set(dumped.compactMap(Self.messageID)) == inFlight)
        // A second message for a host already restarting waits for that restart (single flight).
        #expect(dumped.allSatisfy { ($0.contains("stage=restart") || $0.contains("stage=waiting")) && $0.contains("age_s=") && $0.contains("lease_left_s=") })
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    static func messageID(_ line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix("msg_id=") }.map { String($0.dropFirst(7)) }
    }
}
