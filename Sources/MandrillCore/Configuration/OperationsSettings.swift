/// `shutdown.*`.
public struct ShutdownSettings: Codable, Sendable, Equatable {
    /// After the first signal, in-flight work gets this long to finish before it is
    /// cancelled and nacked.
    public var drainTimeoutSeconds: Double = 20

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case drainTimeoutSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        drainTimeoutSeconds = try c.value(.drainTimeoutSeconds, drainTimeoutSeconds)
    }
}

/// `logging.*` (reloaded on SIGHUP).
public struct LoggingSettings: Codable, Sendable, Equatable {
    /// `trace`, `debug`, `info`, `warning` or `error`.
    public var level = "info"
    /// `logfmt` or `json`.
    public var format = "logfmt"

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case level, format }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.value(.level, level)
        format = try c.value(.format, format)
    }
}

/// `metrics.*`.
public struct MetricsSettings: Codable, Sendable, Equatable {
    /// `host:port` for `/metrics`, `/healthz`, `/readyz`; empty turns the endpoint off.
    public var listen = "127.0.0.1:9464"

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case listen }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, listen)
    }
}

/// `debug.*`.
public struct DebugSettings: Codable, Sendable, Equatable {
    /// A stage running longer than this logs one warning.
    public var slowStageSeconds: Double = 30

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case slowStageSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slowStageSeconds = try c.value(.slowStageSeconds, slowStageSeconds)
    }
}
