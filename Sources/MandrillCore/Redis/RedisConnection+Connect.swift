import Dispatch
import Synchronization

extension RedisConnection {
    /// Connects to `endpoint`, then sends `AUTH` (with the user name if given) and
    /// `SELECT` if needed. Throws `RedisError.connectFailed`, `.authenticationFailed`
    /// or `CancellationError`; no error mentions the password.
    public static func connect(to endpoint: RedisEndpoint, options: Options = Options()) async throws -> RedisConnection {
        let queue = DispatchQueue(label: "mandrill.redis.connection")
        let cancelled = Atomic(false)
        let socket = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result {
                        try RedisSocket.connect(to: endpoint.address, timeout: options.connectTimeout) {
                            cancelled.load(ordering: .relaxed)
                        }
                    })
                }
            }
        } onCancel: {
            cancelled.store(true, ordering: .relaxed)
        }
        let connection = RedisConnection(socket: socket, queue: queue, endpoint: endpoint, options: options)
        do {
            try await connection.handshake()
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func handshake() async throws {
        var commands: [[String]] = []
        if let password = endpoint.password {
            commands.append(endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if endpoint.database != 0 { commands.append(["SELECT", String(endpoint.database)]) }
        guard !commands.isEmpty else { return }
        let replies = try await send(commands, readTimeout: options.connectTimeout)
        for (command, reply) in zip(commands, replies) {
            guard let message = reply.errorMessage.map(scrubbed) else { continue }
            if command[0] == "AUTH" { throw RedisError.authenticationFailed(message) }
            throw RedisError.connectFailed("SELECT \(endpoint.database) failed: \(message)")
        }
    }

    // A server error must not be able to echo the password into a log line.
    private func scrubbed(_ message: String) -> String {
        guard let password = endpoint.password, !password.isEmpty else { return message }
        return message.replacing(password, with: "***")
    }
}
