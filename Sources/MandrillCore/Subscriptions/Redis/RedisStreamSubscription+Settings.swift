import Glibc

extension RedisStreamSubscription {
    /// Names and timings of the consumer group. Sendable.
    public struct Settings: Sendable, Equatable {
        /// Stream holding restart requests.
        public var stream: String
        /// Consumer group shared by all daemons.
        public var group: String
        /// This daemon's consumer name, unique within the group.
        public var consumer: String
        /// Longest wait of one blocking read for new entries.
        public var block: Duration
        /// Entries idle this long in any consumer's pending list are reclaimed; also the
        /// lease an entry gets from each extension.
        public var reclaimIdle: Duration
        /// How often stale entries are looked for (only while credits are free).
        public var reclaimEvery: Duration
        /// Stream receiving dead-lettered entries.
        public var deadLetterStream: String
        /// Approximate `MAXLEN` of the dead-letter stream; 0 = no trimming.
        public var maxLength: Int
        /// Longest wait for replies to lease extensions, so the lease keeper never stalls long.
        public var commandTimeout: Duration
        /// Longest time `close()` spends sending queued acknowledgements.
        public var closeTimeout: Duration

        /// Creates settings.
        public init(
            stream: String, group: String, consumer: String, block: Duration = .seconds(2),
            reclaimIdle: Duration = .seconds(60), reclaimEvery: Duration? = nil,
            deadLetterStream: String, maxLength: Int = 1_000_000, commandTimeout: Duration = .seconds(2),
            closeTimeout: Duration = .seconds(2)
        ) {
            self.stream = stream
            self.group = group
            self.consumer = consumer
            self.block = block
            self.reclaimIdle = reclaimIdle
            self.reclaimEvery = reclaimEvery ?? Self.reclaimInterval(reclaimIdle)
            self.deadLetterStream = deadLetterStream
            self.maxLength = maxLength
            self.commandTimeout = commandTimeout
            self.closeTimeout = closeTimeout
        }

        /// Settings from `subscription.redis.*`; an empty consumer name becomes `<hostname>-<pid>`.
        public init(_ redis: RedisSettings) {
            self.init(
                stream: redis.stream, group: redis.group,
                consumer: redis.consumer.isEmpty ? Self.defaultConsumerName() : redis.consumer,
                block: .milliseconds(redis.blockMilliseconds), reclaimIdle: .seconds(double: redis.reclaimIdleSeconds),
                deadLetterStream: redis.deadLetterStream, maxLength: redis.maxLength)
        }

        /// A quarter of the reclaim idle time, between 10 ms and 2 s: a nacked entry is
        /// picked up soon after its delay, and idle daemons poll Redis rarely.
        static func reclaimInterval(_ reclaimIdle: Duration) -> Duration {
            min(max(reclaimIdle / 4, .milliseconds(10)), .seconds(2))
        }

        /// `<hostname>-<pid>`: unique per process, readable in `XINFO CONSUMERS`.
        static func defaultConsumerName() -> String {
            var buffer = [CChar](repeating: 0, count: 256)
            let host = gethostname(&buffer, buffer.count - 1) == 0
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "mandrill"
            return "\(host.isEmpty ? "mandrill" : host)-\(getpid())"
        }

        var commands: RedisStreamCommands {
            RedisStreamCommands(
                stream: stream, group: group, consumer: consumer, deadLetterStream: deadLetterStream, maxLength: maxLength)
        }
    }
}
