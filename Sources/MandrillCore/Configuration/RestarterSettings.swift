/// `restarter.*`: how a host is restarted.
public struct RestarterSettings: Codable, Sendable, Equatable {
    /// Which restarter runs.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Pretends to restart, with configurable latency and failures (the safe default).
        case simulated
        /// Runs a command per host.
        case command
    }

    /// Which restarter runs.
    public var kind: Kind = .simulated
    /// The simulated restarter.
    public var simulated = SimulatedSettings()
    /// The command restarter.
    public var command = CommandSettings()
    /// Optional verification after a restart (empty `argv` = none).
    public var verify = VerifySettings()

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, simulated, command, verify
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.choice(.kind, kind)
        simulated = try c.value(.simulated, simulated)
        command = try c.value(.command, command)
        verify = try c.value(.verify, verify)
    }
}

/// `restarter.simulated.*`.
public struct SimulatedSettings: Codable, Sendable, Equatable {
    /// Shortest simulated restart.
    public var minLatencyMs = 100
    /// Longest simulated restart.
    public var maxLatencyMs = 1000
    /// Share of restarts failing with a retryable error (0…1).
    public var failureRate: Double = 0.1
    /// Share of restarts failing permanently (0…1).
    public var permanentFailureRate: Double = 0.01
    /// Random seed; 0 means a random seed.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minLatencyMs, maxLatencyMs, failureRate, permanentFailureRate, seed
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minLatencyMs = try c.value(.minLatencyMs, minLatencyMs)
        maxLatencyMs = try c.value(.maxLatencyMs, maxLatencyMs)
        failureRate = try c.value(.failureRate, failureRate)
        permanentFailureRate = try c.value(.permanentFailureRate, permanentFailureRate)
        seed = try c.value(.seed, seed)
    }
}

/// `restarter.command.*`.
public struct CommandSettings: Codable, Sendable, Equatable {
    /// Command template; `{hostname}`, `{instance}`, `{message_id}`, `{attempt}` are substituted.
    public var argv: [String] = []
    /// A restart running longer is sent SIGTERM (to its process group).
    public var timeoutSeconds: Double = 300
    /// SIGKILL follows SIGTERM after this long.
    public var killAfterSeconds: Double = 10
    /// Output kept per stream; the rest is read and dropped.
    public var maxOutputBytes = 65536
    /// Exit codes meaning "try again later"; other non-zero codes are permanent.
    public var retryableExitCodes: [Int32] = [75, 255]
    /// Extra environment variable names passed to the command (besides PATH, HOME, …).
    public var environment: [String] = []

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case argv, timeoutSeconds, killAfterSeconds, maxOutputBytes, retryableExitCodes, environment
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        argv = try c.value(.argv, argv)
        timeoutSeconds = try c.value(.timeoutSeconds, timeoutSeconds)
        killAfterSeconds = try c.value(.killAfterSeconds, killAfterSeconds)
        maxOutputBytes = try c.value(.maxOutputBytes, maxOutputBytes)
        retryableExitCodes = try c.value(.retryableExitCodes, retryableExitCodes)
        environment = try c.value(.environment, environment)
    }
}

/// `restarter.verify.*`: a check that the host is back before the message is acked.
public struct VerifySettings: Codable, Sendable, Equatable {
    /// Command template, like `restarter.command.argv`; empty = no verification.
    public var argv: [String] = []
    /// Pause between verification attempts.
    public var intervalSeconds: Double = 10
    /// Give up (a failed restart) after this long.
    public var timeoutSeconds: Double = 300

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case argv, intervalSeconds, timeoutSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        argv = try c.value(.argv, argv)
        intervalSeconds = try c.value(.intervalSeconds, intervalSeconds)
        timeoutSeconds = try c.value(.timeoutSeconds, timeoutSeconds)
    }
}
