/// Appends restart requests to a Redis stream in the format `RedisStreamSubscription`
/// reads: `host`, `instance`, `published`. Sendable.
public struct RedisStreamPublisher: Sendable {
    /// Hosts per pipeline.
    static let batchSize = 1000

    private let sender: any RedisCommandSender
    private let stream: String
    private let maxLength: Int

    /// Creates a publisher writing to `stream`, trimmed to about `maxLength` entries (0 = no trim).
    public init(sender: any RedisCommandSender, stream: String, maxLength: Int) {
        self.sender = sender
        self.stream = stream
        self.maxLength = maxLength
    }

    /// Appends one request per host, pipelined, and returns the entry ids in order. An
    /// error reply throws `RedisError.server`.
    public func publish(_ hosts: [String], publishedAt: Double) async throws -> [String] {
        var ids: [String] = []
        ids.reserveCapacity(hosts.count)
        var start = 0
        while start < hosts.count {
            let batch = hosts[start..<min(start + Self.batchSize, hosts.count)]
            let commands = batch.map { host in
                RedisStreamCommands.publish(
                    stream: stream, maxLength: maxLength, host: host,
                    instance: String(host.prefix { $0 != "." }), published: publishedAt)
            }
            for reply in try await sender.send(commands, readTimeout: nil) {
                try RedisStreamReplies.checked(reply)
                guard let id = reply.string else { throw RedisError.protocolError("unexpected XADD reply") }
                ids.append(id)
            }
            start += batch.count
        }
        return ids
    }
}
