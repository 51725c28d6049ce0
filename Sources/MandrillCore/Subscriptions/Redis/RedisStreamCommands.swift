/// Builds the stream commands of one consumer in one group. Sendable.
///
/// Kept apart from the subscription so the exact commands (and their order of arguments)
/// are in one place, and `mandrill publish` writes entries the way the daemon reads them.
struct RedisStreamCommands: Sendable {
    /// Longest id list in one command; a larger batch becomes several pipelined commands.
    static let maxIDsPerCommand = 1000

    let stream: String
    let group: String
    let consumer: String
    let deadLetterStream: String
    let maxLength: Int

    /// Creates the group reading from the stream's first entry, creating the stream too.
    var createGroup: [String] { ["XGROUP", "CREATE", stream, group, "0", "MKSTREAM"] }

    /// Reads up to `count` entries never delivered to the group, waiting up to `block`.
    func readNew(count: Int, block: Duration) -> [String] {
        // BLOCK 0 would wait forever: never send it.
        let milliseconds = max(1, Int((block.seconds * 1000).rounded(.up)))
        return ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count), "BLOCK", String(milliseconds),
                "STREAMS", stream, ">"]
    }

    /// Reads up to `count` of this consumer's own pending entries after `cursor`.
    func readPending(after cursor: String, count: Int) -> [String] {
        ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count), "STREAMS", stream, cursor]
    }

    /// Moves up to `count` entries idle for `minIdle` or longer to this consumer.
    func autoclaim(minIdle: Duration, cursor: String, count: Int) -> [String] {
        ["XAUTOCLAIM", stream, group, consumer, String(Self.milliseconds(minIdle)), cursor, "COUNT", String(count)]
    }

    /// This consumer's pending entries from `first` to `last` (inclusive), with delivery counts.
    func pending(from first: String, to last: String, count: Int) -> [String] {
        ["XPENDING", stream, group, first, last, String(count), consumer]
    }

    /// Removes this consumer from the group (only done when it has nothing pending).
    var removeConsumer: [String] { ["XGROUP", "DELCONSUMER", stream, group, consumer] }

    /// Acknowledges `ids`.
    func ack<IDs: Collection<String>>(_ ids: IDs) -> [String] {
        ["XACK", stream, group] + ids
    }

    /// Resets the idle time of `ids` to zero (extends their leases) without counting a delivery.
    func claim<IDs: Collection<String>>(_ ids: IDs) -> [String] {
        ["XCLAIM", stream, group, consumer, "0"] + ids + ["JUSTID"]
    }

    /// Sets the idle time of `id` so it becomes reclaimable once it reaches the reclaim idle time.
    func release(_ id: String, idle: Duration) -> [String] {
        ["XCLAIM", stream, group, consumer, "0", id, "IDLE", String(Self.milliseconds(idle)), "JUSTID"]
    }

    /// Appends a dead-lettered entry: its original fields, then why, how often it was
    /// delivered and its original id.
    func deadLetter(_ letter: RedisDeadLetter) -> [String] {
        ["XADD", deadLetterStream] + Self.trim(maxLength) + ["*"] + letter.fields
            + ["reason", letter.reason, "delivery_count", String(letter.deliveryCount), "original_id", letter.id]
    }

    /// Appends one restart request, the way `mandrill publish` does.
    static func publish(stream: String, maxLength: Int, host: String, instance: String, published: Double) -> [String] {
        ["XADD", stream] + trim(maxLength) + ["*", "host", host, "instance", instance, "published", String(published)]
    }

    /// `MAXLEN ~ n`, or nothing when `maxLength` is 0 (no trimming).
    static func trim(_ maxLength: Int) -> [String] {
        maxLength > 0 ? ["MAXLEN", "~", String(maxLength)] : []
    }

    static func milliseconds(_ duration: Duration) -> Int {
        max(0, Int((duration.seconds * 1000).rounded()))
    }
}

/// An entry to copy to the dead-letter stream before it is acknowledged. Sendable.
struct RedisDeadLetter: Sendable, Equatable {
    /// The original entry id.
    var id: String
    /// The original field/value pairs (none if the entry was trimmed away).
    var fields: [String]
    /// Why it is dead-lettered.
    var reason: String
    /// How often it was delivered.
    var deliveryCount: Int
}
