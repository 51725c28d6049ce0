/// `subscription.*`: where restart requests come from and how many are held at once.
public struct SubscriptionSettings: Codable, Sendable, Equatable {
    /// Which broker delivers messages.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The embedded broker fed by an in-process publisher (demo and benchmarks).
        case inProcess = "in-process"
        /// Redis Streams consumer groups.
        case redis
    }

    /// Which broker delivers messages.
    public var kind: Kind = .inProcess
    /// Most deliveries in hand at once; the broker hands out no more.
    public var maxInFlight = 1000
    /// The embedded publisher's settings.
    public var inProcess = InProcessSettings()
    /// Redis Streams settings.
    public var redis = RedisSettings()

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, maxInFlight, inProcess, redis
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.choice(.kind, kind)
        maxInFlight = try c.value(.maxInFlight, maxInFlight)
        inProcess = try c.value(.inProcess, inProcess)
        redis = try c.value(.redis, redis)
    }
}

/// `subscription.inProcess.*`: the embedded publisher.
public struct InProcessSettings: Codable, Sendable, Equatable {
    /// Messages published per second; 0 publishes as fast as the broker accepts them.
    public var publishRatePerSecond: Double = 10
    /// How many messages to publish; 0 publishes forever.
    public var messages = 0
    /// How many distinct hosts the publisher picks from.
    public var hostPoolSize = 100
    /// Appended to the instance name to make the hostname.
    public var hostnameSuffix = ".example.net"
    /// Random seed for host names and picks; 0 means a random seed.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case publishRatePerSecond, messages, hostPoolSize, hostnameSuffix, seed
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        publishRatePerSecond = try c.value(.publishRatePerSecond, publishRatePerSecond)
        messages = try c.value(.messages, messages)
        hostPoolSize = try c.value(.hostPoolSize, hostPoolSize)
        hostnameSuffix = try c.value(.hostnameSuffix, hostnameSuffix)
        seed = try c.value(.seed, seed)
    }
}

/// `subscription.redis.*`: a Redis Streams consumer group.
public struct RedisSettings: Codable, Sendable, Equatable {
    /// `redis://[user:pass@]host:port/db` or a unix socket path.
    public var url = "redis://127.0.0.1:6379/0"
    /// Stream holding restart requests.
    public var stream = "mandrill:restarts"
    /// Consumer group shared by all daemons.
    public var group = "mandrill"
    /// This daemon's consumer name; empty means `<hostname>-<pid>`.
    public var consumer = ""
    /// How long one `XREADGROUP` blocks waiting for new entries.
    public var blockMilliseconds = 2000
    /// Entries idle longer than this in another consumer's pending list are reclaimed.
    public var reclaimIdleSeconds: Double = 60
    /// Stream receiving dead-lettered entries.
    public var deadLetterStream = "mandrill:dead-letter"
    /// Approximate `MAXLEN` for `mandrill publish` and the dead-letter stream; 0 = no trim.
    public var maxLength = 1_000_000
    /// File holding the password (instead of putting it in `url`); empty = none.
    public var passwordFile = ""

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, stream, group, consumer, blockMilliseconds, reclaimIdleSeconds, deadLetterStream, maxLength,
            passwordFile
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.value(.url, url)
        stream = try c.value(.stream, stream)
        group = try c.value(.group, group)
        consumer = try c.value(.consumer, consumer)
        blockMilliseconds = try c.value(.blockMilliseconds, blockMilliseconds)
        reclaimIdleSeconds = try c.value(.reclaimIdleSeconds, reclaimIdleSeconds)
        deadLetterStream = try c.value(.deadLetterStream, deadLetterStream)
        maxLength = try c.value(.maxLength, maxLength)
        passwordFile = try c.value(.passwordFile, passwordFile)
    }
}
