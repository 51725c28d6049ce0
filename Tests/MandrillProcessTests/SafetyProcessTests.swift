import Foundation
import Testing

/// The daemon with a real command restarter and the safety guards.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SafetyProcessTests {
    @Test func aCommandRestarterRunsOncePerAcceptedMessageAndNeverForDeniedHosts() async throws {
        let workspace = try TestWorkspace()
        let ledger = workspace.url.appendingPathComponent("restarted.txt").path
        let config = try workspace.config([
            "subscription": ["maxInFlight": 20, "inProcess": ["publishRatePerSecond": 300, "hostPoolSize": 30, "seed": 7]],
            "restarter": [
                "kind": "command",
                "command": ["argv": ["/bin/sh", "-c", "echo {hostname} {message_id} >> \(ledger)"], "timeoutSeconds": 10],
            ],
            "safety": [
                "denyHosts": (0...9).map { "cattle-\($0)*" } + ["cattle-a*", "cattle-b*", "cattle-c*", "cattle-d*", "CATTLE-E*"],
                "hostCooldownSeconds": 0, "maxRestartsPerMinute": 0, "maxConcurrentRestarts": 0,
            ],
        ])
        let result = try await DaemonProcess.run(["run", "--max-messages", "120", "--config", config])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
        var perMessage: [String: Int] = [:]
        for line in lines {
            let parts = line.split(separator: " ")
            let host = String(parts[0])
            #expect(!Self.isDenied(host), "denied host \(host) was restarted")
            perMessage[String(parts[1]), default: 0] += 1
        }
        #expect(perMessage.values.allSatisfy { $0 == 1 }, "a message restarted its host more than once")
        let state = try await workspace.status(config: config)
        let byOutcome = try #require((state["totals"] as? [String: Any])?["acked_by_outcome"] as? [String: Int])
        #expect(byOutcome["restarted"] == perMessage.count, "one ledger line per restarted message")
        #expect((byOutcome["skipped"] ?? 0) > 0, "some messages named denied hosts")
        #expect(state.total("received") == 120)

        let history = try await DaemonProcess.run(["history", "--config", config, "--limit", "500"])
        #expect(history.stdout.contains("decision") && history.stdout.contains("denied by denyHosts"))
    }

    static func isDenied(_ host: String) -> Bool {
        guard host.hasPrefix("cattle-"), let first = host.dropFirst(7).first else { return false }
        return first.isNumber || "abcde".contains(first)
    }

    @Test func dryRunRunsThePipelineWithoutCallingTheRestarter() async throws {
        let workspace = try TestWorkspace()
        let ledger = workspace.url.appendingPathComponent("restarted.txt").path
        let config = try workspace.config([
            "subscription": ["inProcess": ["publishRatePerSecond": 300]],
            "restarter": ["kind": "command", "command": ["argv": ["/bin/sh", "-c", "echo {hostname} >> \(ledger)"]]],
        ])
        let result = try await DaemonProcess.run(["run", "--dry-run", "--max-messages", "30", "--config", config])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: ledger), "the restarter ran during a dry run")
        let state = try await workspace.status(config: config)
        let byOutcome = (state["totals"] as? [String: Any])?["acked_by_outcome"] as? [String: Int]
        #expect((byOutcome?["dry_run"] ?? 0) > 0)
        #expect((state["last_restarts"] as? [Any])?.isEmpty == true, "a dry run consumes no cooldown")
    }
}
