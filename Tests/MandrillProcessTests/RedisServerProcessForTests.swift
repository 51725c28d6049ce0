import Foundation
import Glibc
import MandrillCore
import Testing

/// A private `redis-server` for process tests, on a free loopback port in its own
/// temporary directory, with no persistence. Sendable: all state is immutable.
// @unchecked: Foundation.Process is not marked Sendable; only processIdentifier,
// isRunning and waitUntilExit are used, which are safe from any thread.
final class RedisServerProcess: @unchecked Sendable {
    /// The `redis-server` executable, from PATH, /usr/bin or /usr/local/bin.
    static let executablePath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return directories.map { $0 + "/redis-server" }.first { access($0, X_OK) == 0 }
    }()

    let port: Int
    private let process: Process
    private let directory: URL

    /// Starts a server and waits (up to 5 s) until it answers PING; a port taken before
    /// the server bound it is retried with another.
    init() async throws {
        guard let executable = Self.executablePath else {
            throw RedisServerUnavailable(description: ProcessInfo.processInfo.environment["CI"] == "true"
                ? "redis-server is required when CI=true; install it (apt-get install -y redis-server)"
                : "redis-server not installed")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var attempts = 0
        while true {
            attempts += 1
            let port = try Self.freePort()
            let process = try Self.launch(executable, port: port, directory: directory)
            if try await Self.answers(process, port: port) {
                self.port = port
                self.process = process
                return
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            guard attempts < 3 else {
                try? FileManager.default.removeItem(at: directory)
                throw RedisServerUnavailable(description: "redis-server did not start on a free port (3 tries)")
            }
        }
    }

    private static func launch(_ executable: String, port: Int, directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Whether the server answers PING within 5 s; false at once if it exited.
    private static func answers(_ process: Process, port: Int) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline && process.isRunning {
            if let probe = try? await connect(port: port) {
                probe.close()
                return true
            }
            // redis-server offers no readiness signal other than answering.
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    deinit { stop() }

    /// `redis://127.0.0.1:<port>/0`.
    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// A new connection to the server.
    func connect() async throws -> RedisConnection {
        try await Self.connect(port: port)
    }

    private static func connect(port: Int) async throws -> RedisConnection {
        try await RedisConnection.connect(
            to: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)),
            options: .init(connectTimeout: .milliseconds(500)))
    }

    /// Kills the server and removes its directory.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A loopback TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw RedisServerUnavailable(description: "socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw RedisServerUnavailable(description: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why no redis-server could be started.
struct RedisServerUnavailable: Error, CustomStringConvertible {
    let description: String
}

extension Trait where Self == ConditionTrait {
    /// Runs when redis-server is installed, and always under `CI=true` (where a missing
    /// server then fails the test loudly instead of skipping it).
    static var requiresRedisServer: Self {
        .enabled(
            if: RedisServerProcess.executablePath != nil || ProcessInfo.processInfo.environment["CI"] == "true",
            "redis-server not installed")
    }
}
