import Foundation
import Testing

/// SIGKILL mid-load, then a restart on the same state directory: nothing acked is lost,
/// in-doubt messages are listed, and no finished message is restarted again.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CrashRecoveryProcessTests {
    /// A fixed seed makes the in-process publisher replay the same message ids on the second
    /// run, the way a broker redelivers its backlog after a crash.
    static var config: [String: Any] { [
        "subscription": ["maxInFlight": 50, "inProcess": ["publishRatePerSecond": 500, "messages": 400, "seed": 42]],
        "restarter": ["simulated": ["minLatencyMs": 20, "maxLatencyMs": 200, "failureRate": 0, "permanentFailureRate": 0]],
        "safety": ["hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0],
    ] }

    static func ids(_ lines: [String], _ message: String) -> Set<String> {
        Set(lines.filter { $0.contains("msg=\"\(message)\"") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("msg_id=") }.map { String($0.dropFirst(7)) }
        })
    }

    @Test func sigkillThenRestartLosesNothingAndRestartsNoFinishedMessage() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(Self.config)

        let first = try DaemonProcess(["run", "--config", config])
        defer { first.terminate() }
        try await first.waitForLine("Acked message.", count: 120)
        first.send(SIGKILL)
        _ = try await first.waitForExit()
        let ackedBeforeKill = Self.ids(first.log, "Acked message.")
        #expect(ackedBeforeKill.count >= 120)

        let afterCrash = try await workspace.status(config: config)
        #expect(afterCrash.total("acked") >= ackedBeforeKill.count, "every ack logged before the kill is in the journal")
        let inDoubt = try #require(afterCrash["in_doubt"] as? [[String: Any]])
        #expect(!inDoubt.isEmpty, "messages in flight at the kill are listed as in doubt")

        let second = try DaemonProcess(["run", "--max-messages", "400", "--config", config])
        defer { second.terminate() }
        #expect(try await second.waitForExit() == 0)
        #expect(second.lines(containing: "Message is in doubt").count == inDoubt.count)
        let restartedAgain = Self.ids(second.log, "Restarted host.").intersection(ackedBeforeKill)
        #expect(restartedAgain.isEmpty, "finished messages were restarted again: \(restartedAgain.sorted().prefix(5))")
        let duplicates = Self.ids(second.log, "Acked duplicate without restarting.")
        #expect(duplicates.isSuperset(of: ackedBeforeKill))

        let final = try await workspace.status(config: config)
        #expect(final.total("duplicate") >= ackedBeforeKill.count)
        #expect((final["in_doubt"] as? [Any])?.isEmpty == true, "the redelivered in-doubt messages were finished")
    }
}
