/// Reads the replies of the stream commands the subscription sends. A namespace with no
/// instances, so Sendable does not apply.
///
/// Every function throws `RedisError.server` for an error reply and
/// `RedisError.protocolError` for a reply of an unexpected shape.
enum RedisStreamReplies {
    /// The entries of an `XREADGROUP` reply for one stream; none when it timed out.
    static func readEntries(_ reply: RESPValue) throws -> [RedisStreamEntry] {
        try checked(reply)
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw shape("XREADGROUP") }
        var entries: [RedisStreamEntry] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2 else { throw shape("XREADGROUP") }
            entries += try entryList(pair[1], command: "XREADGROUP")
        }
        return entries
    }

    /// The next cursor, the claimed entries and the ids that no longer exist (Redis 7
    /// drops them from the pending list) of an `XAUTOCLAIM` reply.
    static func autoclaim(_ reply: RESPValue) throws -> (cursor: String, entries: [RedisStreamEntry], deleted: [String]) {
        try checked(reply)
        guard let parts = reply.array, parts.count >= 2, let cursor = parts[0].string else { throw shape("XAUTOCLAIM") }
        let entries = try entryList(parts[1], command: "XAUTOCLAIM")
        var deleted: [String] = []
        if parts.count >= 3 {
            guard let ids = parts[2].array else { throw shape("XAUTOCLAIM") }
            deleted = ids.compactMap(\.string)
        }
        return (cursor, entries, deleted)
    }

    /// Delivery counts by id from the extended form of `XPENDING`.
    static func deliveryCounts(_ reply: RESPValue) throws -> [String: Int] {
        try checked(reply)
        guard let rows = reply.array else { throw shape("XPENDING") }
        var counts: [String: Int] = [:]
        for row in rows {
            guard let columns = row.array, columns.count == 4, let id = columns[0].string, let count = columns[3].int else {
                throw shape("XPENDING")
            }
            counts[id] = count
        }
        return counts
    }

    /// The ids in a `JUSTID` reply (`XCLAIM … JUSTID`).
    static func ids(_ reply: RESPValue) throws -> [String] {
        try checked(reply)
        guard let ids = reply.array else { throw shape("XCLAIM") }
        return ids.compactMap(\.string)
    }

    /// Throws the error an error reply stands for.
    static func checked(_ reply: RESPValue) throws {
        if let message = reply.errorMessage { throw RedisError.server(message) }
    }

    private static func entryList(_ value: RESPValue, command: String) throws -> [RedisStreamEntry] {
        guard let list = value.array else { throw shape(command) }
        var entries: [RedisStreamEntry] = []
        entries.reserveCapacity(list.count)
        for item in list {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { throw shape(command) }
            if pair[1].isNull {
                entries.append(RedisStreamEntry(id: id, fields: nil))
                continue
            }
            guard let values = pair[1].array else { throw shape(command) }
            // Field bytes that are not UTF-8 are kept readable; the dead-letter copy shows them as U+FFFD.
            entries.append(RedisStreamEntry(id: id, fields: values.map { String(decoding: $0.bytes ?? [], as: UTF8.self) }))
        }
        return entries
    }

    private static func shape(_ command: String) -> RedisError {
        .protocolError("unexpected \(command) reply")
    }
}
