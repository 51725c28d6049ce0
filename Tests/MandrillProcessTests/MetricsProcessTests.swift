import Foundation
import Testing

/// `/metrics`, `/healthz`, `/readyz` on a running daemon, over a real socket.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MetricsProcessTests {
    static func port(_ daemon: DaemonProcess) throws -> Int {
        let line = try #require(daemon.lines(containing: "Serving metrics.").first)
        let field = try #require(line.split(separator: " ").first { $0.hasPrefix("port=") })
        return try #require(Int(field.dropFirst(5)))
    }

    @Test func scrapedMetricsAreWellFormedAndMatchWhatTheRunDid() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config([
            "subscription": ["inProcess": ["publishRatePerSecond": 0, "messages": 40]],
            "restarter": ["simulated": ["minLatencyMs": 1, "maxLatencyMs": 5, "failureRate": 0, "permanentFailureRate": 0]],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
            "metrics": ["listen": "127.0.0.1:0"],
        ])
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Serving metrics.")
        try await daemon.waitForLine("Acked message.", count: 40)
        let port = try Self.port(daemon)
        let response = try HTTPGet.get(port: port, path: "/metrics")
        #expect(response.status == 200)
        let exposition = try PrometheusExposition(response.body)
        #expect(exposition.value("mandrill_messages_received_total") == 40)
        #expect(exposition.value("mandrill_messages_acked_total") == 40)
        // Two messages for one host share a restart (single flight): count what the log shows.
        let restarts = Double(daemon.lines(containing: "Restarted host.").count)
        #expect(exposition.value("mandrill_restarts_total", ["outcome": "succeeded"]) == restarts)
        #expect(exposition.value("mandrill_restart_duration_seconds_count") == restarts)
        #expect(exposition.value("mandrill_message_handling_seconds_count") == 40)
        #expect(exposition.value("mandrill_inflight_messages") == 0)
        #expect(exposition.value("mandrill_build_info", ["version": "0.1.0"]) == 1)
        #expect((exposition.value("process_resident_memory_bytes") ?? 0) > 0)
        for family in ["mandrill_stage_duration_seconds", "mandrill_journal_fsync_seconds", "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds", "mandrill_lease_extensions_total", "mandrill_messages_nacked_total", "mandrill_messages_dead_lettered_total", "mandrill_messages_duplicate_total"] {
            #expect(exposition.types[family] != nil, "\(family) has a # TYPE line")
        }
        try exposition.checkWellFormed()
        #expect(try HTTPGet.get(port: port, path: "/healthz").status == 200)
        #expect(try HTTPGet.get(port: port, path: "/readyz").status == 200)
        #expect(try HTTPGet.get(port: port, path: "/nope").status == 404)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func readyzTurns503WhileDrainingAndHostileClientsDoNotStopTheWork() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config([
            "subscription": ["maxInFlight": 20, "inProcess": ["publishRatePerSecond": 100, "hostPoolSize": 1000]],
            "restarter": ["simulated": ["minLatencyMs": 1000, "maxLatencyMs": 1500, "failureRate": 0, "permanentFailureRate": 0]],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
            "metrics": ["listen": "127.0.0.1:0"],
            "shutdown": ["drainTimeoutSeconds": 3],
        ])
        let daemon = try DaemonProcess(["run", "--config", config])
        defer { daemon.terminate() }
        try await daemon.waitForLine("Acked message.", count: 5)
        let port = try Self.port(daemon)
        // A client that connects and never sends, and one that sends garbage.
        let silent = try RawSocket(port: port)
        let garbage = try RawSocket(port: port)
        garbage.send(Array(repeating: 0xFF, count: 300))
        let ackedBefore = daemon.lines(containing: "Acked message.").count
        try await daemon.waitForLine("Acked message.", count: ackedBefore + 10)
        #expect(garbage.readAll().hasPrefix("HTTP/1.1 400"))
        #expect(try HTTPGet.get(port: port, path: "/readyz").status == 200)

        // In-flight restarts take a second or more, so the drain is still running when we ask.
        daemon.send(SIGTERM)
        try await daemon.waitForLine("Shutting down gracefully")
        #expect(try HTTPGet.get(port: port, path: "/readyz").status == 503)
        #expect(try HTTPGet.get(port: port, path: "/healthz").status == 200)
        #expect(try await daemon.waitForExit() == 0)
        _ = silent
    }
}

