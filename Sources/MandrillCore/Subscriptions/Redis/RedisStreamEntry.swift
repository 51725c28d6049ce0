/// One entry read from the restart stream: its id and its field/value pairs, or no fields
/// when the entry was trimmed from the stream while still pending. Sendable.
///
/// The message format is a flat field list: `host` (required, the hostname to restart),
/// `instance` (optional, defaults to `host` up to its first `.`), `published` (optional,
/// seconds since the Unix epoch, defaults to the time in the entry id).
public struct RedisStreamEntry: Sendable, Equatable {
    /// The stream entry id, for example `1700000000000-0`; the message id.
    public let id: String
    /// Field/value pairs in stream order; nil when the entry no longer exists.
    public let fields: [String]?

    /// Creates an entry.
    public init(id: String, fields: [String]?) {
        self.id = id
        self.fields = fields
    }

    /// The restart request the entry carries, or why it carries none.
    public var payload: Delivery.Payload {
        guard let fields else { return .malformed(reason: "entry trimmed from the stream") }
        guard fields.count % 2 == 0 else { return .malformed(reason: "odd number of field values") }
        var host: String?
        var instance: String?
        var published: String?
        for index in stride(from: 0, to: fields.count, by: 2) {
            switch fields[index] {
            case "host": host = fields[index + 1]
            case "instance": instance = fields[index + 1]
            case "published": published = fields[index + 1]
            default: continue
            }
        }
        guard let host else { return .malformed(reason: "no host field") }
        if let problem = Self.hostProblem(host) { return .malformed(reason: problem) }
        var publishTime = millisecondsInID.map { Double($0) / 1000 } ?? 0
        if let published {
            guard let seconds = Double(published), seconds.isFinite else {
                return .malformed(reason: "published is not a number")
            }
            publishTime = seconds
        }
        let instanceName = instance.flatMap { $0.isEmpty ? nil : $0 } ?? String(host.prefix { $0 != "." })
        if instanceName.utf8.count > Self.maxNameBytes {
            return .malformed(reason: "instance longer than \(Self.maxNameBytes) bytes")
        }
        return .restart(PubSubMessage(id: MessageID(id), instanceName: instanceName, hostname: host, publishTime: publishTime))
    }

    /// The longest host or instance name taken: a DNS name's limit. A longer one is
    /// dead-lettered as malformed; accepted, it could make the message's records too large
    /// for the journal, and a message that cannot be recorded is nacked and redelivered
    /// for ever.
    public static let maxNameBytes = 253

    /// Why `host` cannot be a hostname to restart, or nil when it can.
    public static func hostProblem(_ host: String) -> String? {
        if host.isEmpty { return "empty host field" }
        if host.utf8.count > maxNameBytes { return "host longer than \(maxNameBytes) bytes" }
        // The host ends up in a restart command line: refuse anything that is not one word.
        if host.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "host contains whitespace or control characters"
        }
        return nil
    }

    /// The Unix time in milliseconds at which Redis added the entry (the id's first part).
    var millisecondsInID: Int? {
        id.split(separator: "-", maxSplits: 1).first.flatMap { Int($0) }
    }
}
