import Foundation
import Testing

struct LogPipeProcessTests {
    @Test func aClosedLogPipeDoesNotKillTheDaemon() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config([
            "subscription": ["inProcess": ["publishRatePerSecond": 0, "messages": 300]],
            "restarter": ["simulated": ["minLatencyMs": 1, "maxLatencyMs": 3, "failureRate": 0, "permanentFailureRate": 0]],
            "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
        ])
        // stderr is a pipe whose reader is closed at once, like `mandrill | head` ending.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.executable("mandrill"))
        process.arguments = ["run", "--max-messages", "300", "--config", config]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try pipe.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "killed by a signal (SIGPIPE?)")
        #expect(process.terminationStatus == 0)
        let state = try await workspace.status(config: config)
        #expect(state.total("received") == 300)
        #expect((state["in_doubt"] as? [Any])?.isEmpty == true)
    }
}
