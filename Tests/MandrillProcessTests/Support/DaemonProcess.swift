import Foundation
import Synchronization
import Testing

/// The built `mandrill` binary running as a child process: its stderr is collected line by
/// line so a test can await a log line, send real signals, and wait for the exit code.
// @unchecked: Foundation.Process is not marked Sendable, but the calls used here
// (processIdentifier, isRunning, waitUntilExit) are safe from any thread; all other state
// sits in Mutexes.
final class DaemonProcess: @unchecked Sendable {
    /// The products directory holding `mandrill` and `mandrill-bench`.
    static var productsDirectory: URL {
        // The test bundle runs from the products directory on Linux.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return directory
    }

    /// Path of a built executable of this package.
    static func executable(_ name: String) -> String {
        productsDirectory.appendingPathComponent(name).path
    }

    private final class Captured: Sendable {
        let lines = Mutex<[String]>([])
        let exitStatus = Mutex<Int32?>(nil)
        let stdout = Mutex(Data())
        let partial = Mutex(Data())
        /// Pipes that reached end of file (stderr, stdout).
        let closedPipes = Mutex(0)
    }

    private let process: Process
    private let captured = Captured()

    /// Starts `mandrill` with `arguments` in `directory`.
    init(_ arguments: [String], directory: URL? = nil, environment: [String: String] = [:], executable: String = DaemonProcess.executable("mandrill")) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let errorPipe = Pipe()
        let outputPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        process.standardInput = FileHandle.nullDevice
        let captured = self.captured
        // Each pipe is read to its end on a thread of its own, with blocking reads. (Not
        // `readabilityHandler`: its Dispatch read source can outlive the descriptor, which
        // the pipe closes on its own schedule; once the number is reused, libdispatch's
        // event loop met a stale source and the whole test process crashed, once in some
        // ten runs.)
        Self.readToEnd(errorPipe.fileHandleForReading) { chunk in
            let complete: [String] = captured.partial.withLock { buffer in
                buffer.append(chunk)
                var out: [String] = []
                while let newline = buffer.firstIndex(of: 0x0A) {
                    out.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
                if chunk.isEmpty, !buffer.isEmpty {
                    out.append(String(decoding: buffer, as: UTF8.self))
                    buffer.removeAll()
                }
                return out
            }
            if !complete.isEmpty { captured.lines.withLock { $0 += complete } }
            if chunk.isEmpty { captured.closedPipes.withLock { $0 += 1 } }
        }
        Self.readToEnd(outputPipe.fileHandleForReading) { chunk in
            if chunk.isEmpty {
                captured.closedPipes.withLock { $0 += 1 }
            } else {
                captured.stdout.withLock { $0.append(chunk) }
            }
        }
        process.terminationHandler = { finished in
            captured.exitStatus.withLock { $0 = finished.terminationStatus }
        }
        try process.run()
    }

    /// Reads `handle` until end of file on a thread of its own, handing each chunk to
    /// `deliver` and then one empty chunk at the end. Blocking reads end at the child's
    /// exit (it holds the write end), so the thread never outlives the child for long.
    private static func readToEnd(_ handle: FileHandle, deliver: @escaping @Sendable (Data) -> Void) {
        let reader = Thread {
            while true {
                let chunk = handle.availableData
                deliver(chunk)
                if chunk.isEmpty { break }
            }
        }
        reader.name = "daemon-process-reader"
        reader.start()
    }

    var pid: Int32 { process.processIdentifier }

    /// Every stderr line so far.
    var log: [String] { captured.lines.withLock { $0 } }

    /// Everything written to stdout so far.
    var output: String { String(decoding: captured.stdout.withLock { $0 }, as: UTF8.self) }

    /// Lines containing `text`.
    func lines(containing text: String) -> [String] { log.filter { $0.contains(text) } }

    /// Sends a real signal to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until `count` stderr lines contain `text`.
    func waitForLine(_ text: String, count: Int = 1, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await poll(timeout: timeout, what: "\(count)× \"\(text)\" in the daemon's log", sourceLocation: sourceLocation) {
            self.lines(containing: text).count >= count
        }
    }

    /// Waits for the process to exit and returns its exit status.
    func waitForExit(timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int32 {
        try await poll(timeout: timeout, what: "the daemon to exit", sourceLocation: sourceLocation) { self.captured.exitStatus.withLock { $0 } != nil }
        process.waitUntilExit()
        // The exit can be seen before the pipe readers deliver the last bytes: wait (briefly,
        // without failing) for both pipes to reach end of file. Another child spawned by this
        // test process at the same moment can hold a copy of the write ends for a while; the
        // bytes are already in the pipe by then and arrive regardless.
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        while captured.closedPipes.withLock({ $0 }) < 2 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return captured.exitStatus.withLock { $0 }!
    }

    /// Kills the process if it is still running (end of a failed test).
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func poll(timeout: Duration, what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what); last log lines:\n\(log.suffix(15).joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw ProcessTestTimeout()
    }

    /// Runs `mandrill` to completion and returns exit status, stdout and stderr.
    static func run(_ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try DaemonProcess(arguments, directory: directory, environment: environment)
        defer { child.terminate() }
        let status = try await child.waitForExit()
        return (status, child.output, child.log.joined(separator: "\n"))
    }
}

struct ProcessTestTimeout: Error {}

/// A temporary directory with a config file, removed at the end of the test.
final class TestWorkspace: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var stateDirectory: String { url.appendingPathComponent("state").path }

    /// Writes `json` (an object literal) as `name`, with the state directory and metrics
    /// port filled in unless the JSON sets them, and returns its path.
    func config(_ json: [String: Any], name: String = "config.json") throws -> String {
        var object = json
        var state = object["state"] as? [String: Any] ?? [:]
        if state["directory"] == nil { state["directory"] = stateDirectory }
        object["state"] = state
        if object["metrics"] == nil { object["metrics"] = ["listen": ""] }
        let path = url.appendingPathComponent(name).path
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `mandrill status --json` for `config`, decoded.
    func status(config: String) async throws -> [String: Any] {
        let result = try await DaemonProcess.run(["status", "--json", "--config", config])
        #expect(result.status == 0, "status failed: \(result.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}

extension [String: Any] {
    /// `status["totals"]["acked"]` as an Int.
    func total(_ key: String) -> Int {
        ((self["totals"] as? [String: Any])?[key] as? Int) ?? -1
    }
}
