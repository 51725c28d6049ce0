import Foundation
import Testing

struct SystemdUnitProcessTests {
    @Test func generatedUnitPassesSystemdAnalyzeVerify() async throws {
        let workspace = try TestWorkspace()
        let config = try workspace.config(["shutdown": ["drainTimeoutSeconds": 45]])
        let result = try await DaemonProcess.run(["systemd-unit", "--config", config])
        #expect(result.status == 0)
        let unit = result.stdout
        for key in ["Type=notify", "KillMode=mixed", "TimeoutStopSec=75", "WatchdogSec=", "Restart=on-failure",
                    "RestartPreventExitStatus=64 78", "StateDirectory=mandrill", "NoNewPrivileges=yes",
                    "ProtectSystem=strict", "PrivateTmp=yes", "ExecStart=\(DaemonProcess.executable("mandrill")) run --config \(config)"] {
            #expect(unit.contains(key), "unit has \(key)")
        }
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let analyze else {
            // Without systemd-analyze the keys above are the check (CI installs it).
            return
        }
        let path = workspace.url.appendingPathComponent("mandrill.service").path
        try unit.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: analyze)
        verify.arguments = ["verify", path]
        let errors = Pipe()
        verify.standardError = errors
        try verify.run()
        verify.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(verify.terminationStatus == 0, "systemd-analyze verify: \(message)")
    }
}
