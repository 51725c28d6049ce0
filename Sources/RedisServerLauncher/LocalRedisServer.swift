import Dispatch
import Foundation
import Glibc
import MandrillCore
import Synchronization

/// A private `redis-server` on a free loopback port with its own temporary directory, for
/// the tests and the benchmark: the one launcher all three use. Sendable: the process id
/// is held in a `Mutex`.
///
/// Tests that use it carry a `requiresRedisServer` trait (defined in each test target),
/// so they are skipped locally without redis-server and fail loudly under `CI=true`.
public final class LocalRedisServer: Sendable {
    /// Why no server could be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `redis-server` executable, from PATH, /usr/bin or /usr/local/bin.
    public static let executablePath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return directories.map { $0 + "/redis-server" }.first { access($0, X_OK) == 0 }
    }()

    /// Whether `redis-server` is installed.
    public static var isAvailable: Bool { executablePath != nil }

    /// Whether the tests run in CI, where a missing redis-server is an error, not a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The loopback TCP port.
    public let port: Int
    /// The server's working directory (removed by `stop()`).
    public let directory: String
    /// The `requirepass` password, if any.
    public let password: String?
    /// The unix socket path, if the server listens on one.
    public let unixSocketPath: String?

    private let executable: String
    private let processID: Mutex<pid_t?>

    /// Starts a server and waits until it answers PING.
    public init(password: String? = nil, unixSocket: Bool = false) async throws {
        guard let executable = Self.executablePath else {
            throw Failure(description: Self.isCI
                ? "redis-server is required when CI=true; install it (apt-get install -y redis-server)"
                : "redis-server not installed")
        }
        var template = Array("/tmp/mandrill-redis.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed") }
        let directory = String(cString: created)
        let unixSocketPath = unixSocket ? directory + "/redis.sock" : nil
        // A free port can be taken by someone else before redis binds it: try a few.
        var lastError: any Error = Failure(description: "no attempt made")
        for _ in 0 ..< 3 {
            let port = try Self.freePort()
            let arguments = Self.arguments(port: port, directory: directory, password: password, unixSocketPath: unixSocketPath)
            do {
                let pid = try await Self.launch(executable, arguments, endpoint: Self.endpoint(port, password))
                self.port = port
                self.directory = directory
                self.password = password
                self.unixSocketPath = unixSocketPath
                self.executable = executable
                self.processID = Mutex(pid)
                return
            } catch {
                lastError = error
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError
    }

    deinit {
        // Safety net for a test that forgot stop(): never leave a server behind.
        if let pid = processID.withLock({ $0 }) {
            Glibc.kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
        }
    }

    /// Runs `body` with a fresh server and stops the server afterwards, even on failure.
    public static func withServer<T>(
        password: String? = nil, unixSocket: Bool = false, _ body: (LocalRedisServer) async throws -> T
    ) async throws -> T {
        let server = try await LocalRedisServer(password: password, unixSocket: unixSocket)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The TCP endpoint, with the password if the server requires one.
    public var endpoint: RedisEndpoint { Self.endpoint(port, password) }

    /// The TCP endpoint as a URL, for configuration files: `redis://127.0.0.1:<port>/0`
    /// (with the password when there is one).
    public var url: String {
        "redis://" + (password.map { ":\($0)@" } ?? "") + "127.0.0.1:\(port)/0"
    }

    /// A new connection to the server.
    public func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(to: endpoint, options: .init(connectTimeout: .milliseconds(500)))
    }

    /// The unix socket endpoint, if the server listens on one.
    public var unixEndpoint: RedisEndpoint? {
        unixSocketPath.map { RedisEndpoint(address: .unix(path: $0), password: password) }
    }

    /// Whether the server process is running.
    public var isRunning: Bool { processID.withLock { $0 != nil } }

    /// Kills the server with SIGKILL (an outage); `restart()` brings it back.
    public func kill() async {
        guard let pid = processID.withLock({ $0.take() }) else { return }
        Glibc.kill(pid, SIGKILL)
        _ = await Self.waitForExit(pid, timeout: .seconds(5))
    }

    /// Stops the server if it runs (SIGTERM, then SIGKILL), then starts it again on the
    /// same port and waits until it answers.
    public func restart() async throws {
        await terminate()
        let arguments = Self.arguments(port: port, directory: directory, password: password, unixSocketPath: unixSocketPath)
        let pid = try await Self.launch(executable, arguments, endpoint: endpoint)
        processID.withLock { $0 = pid }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 3 s) and removes its directory.
    public func stop() async {
        await terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func terminate() async {
        guard let pid = processID.withLock({ $0.take() }) else { return }
        Glibc.kill(pid, SIGTERM)
        if await Self.waitForExit(pid, timeout: .seconds(3)) { return }
        Glibc.kill(pid, SIGKILL)
        _ = await Self.waitForExit(pid, timeout: .seconds(5))
    }

    private static func endpoint(_ port: Int, _ password: String?) -> RedisEndpoint {
        RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port), password: password)
    }

    private static func arguments(port: Int, directory: String, password: String?, unixSocketPath: String?) -> [String] {
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory, "--logfile", directory + "/redis.log", "--daemonize", "no",
        ]
        if let password { arguments += ["--requirepass", password] }
        if let unixSocketPath { arguments += ["--unixsocket", unixSocketPath, "--unixsocketperm", "700"] }
        return arguments
    }
}
