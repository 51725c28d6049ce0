/// Something that sends Redis commands and returns their replies: a `RedisConnection`
/// or a `RedisClient` (or a test fake). Sendable.
public protocol RedisCommandSender: Sendable {
    /// Sends `commands` as one pipeline and returns one reply per command, in order.
    ///
    /// Error replies come back as `.error` values; I/O and protocol failures throw.
    /// `readTimeout` overrides the default wait for the replies (for `BLOCK` commands).
    func send(_ commands: [[String]], readTimeout: Duration?) async throws -> [RESPValue]
}

extension RedisCommandSender {
    /// Sends `commands` as one pipeline with the default read timeout.
    public func send(_ commands: [[String]]) async throws -> [RESPValue] {
        try await send(commands, readTimeout: nil)
    }

    /// Sends one command; an error reply throws `RedisError.server(message)`.
    public func send(_ command: [String], readTimeout: Duration? = nil) async throws -> RESPValue {
        let replies = try await send([command], readTimeout: readTimeout)
        guard replies.count == 1 else { throw RedisError.protocolError("expected 1 reply, got \(replies.count)") }
        if let message = replies[0].errorMessage { throw RedisError.server(message) }
        return replies[0]
    }
}
