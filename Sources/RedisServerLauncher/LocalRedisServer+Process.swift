import Dispatch
import Foundation
import Glibc
import MandrillCore

extension LocalRedisServer {
    /// Spawns redis-server and waits (up to 5 s) until PING answers.
    static func launch(_ executable: String, _ arguments: [String], endpoint: RedisEndpoint) async throws -> pid_t {
        let pid = try spawn(executable, arguments)
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw Failure(description: "redis-server exited during startup (status \(status))")
            }
            let options = RedisConnection.Options(connectTimeout: .milliseconds(500), readTimeout: .seconds(1))
            if let connection = try? await RedisConnection.connect(to: endpoint, options: options) {
                let reply = try? await connection.send([["PING"]])
                connection.close()
                if reply != nil { return pid }
            }
            // Polling is the only readiness signal redis-server offers here.
            try await Task.sleep(for: .milliseconds(20))
        }
        Glibc.kill(pid, SIGKILL)
        _ = await waitForExit(pid, timeout: .seconds(5))
        throw Failure(description: "redis-server did not answer PING within 5 s")
    }

    /// Waits off the cooperative pool until `pid` exits; false if it is still running
    /// at the timeout.
    static func waitForExit(_ pid: pid_t, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "mandrill.redis-server.wait").async {
                let deadline = ContinuousClock.now.advanced(by: timeout)
                while true {
                    let result = waitpid(pid, nil, WNOHANG)
                    if result == pid || (result < 0 && errno == ECHILD) { return continuation.resume(returning: true) }
                    if ContinuousClock.now >= deadline { return continuation.resume(returning: false) }
                    usleep(2000)
                }
            }
        }
    }

    /// A loopback TCP port nobody listens on right now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func spawn(_ executable: String, _ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Spawning threads (dispatch workers) block signals, and a child inherits the mask:
        // without a clean mask and default actions redis-server would never see SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + environment).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard status == 0 else {
            throw Failure(description: "cannot start redis-server: \(String(cString: strerror(status)))")
        }
        return pid
    }
}
