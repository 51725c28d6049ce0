/// `safety.*`: the guards that keep a restart daemon from causing an outage
/// (reloaded on SIGHUP).
public struct SafetySettings: Codable, Sendable, Equatable {
    /// Run the whole pipeline but never call the restarter.
    public var dryRun = false
    /// Host globs that may be restarted (`*` and `?` wildcards).
    public var allowHosts = ["*"]
    /// Host globs that are never restarted; deny wins over allow.
    public var denyHosts: [String] = []
    /// A host restarted less than this long ago is not restarted again (0 = off).
    public var hostCooldownSeconds: Double = 60
    /// Restarts started per minute across all hosts (token bucket; 0 = unlimited).
    public var maxRestartsPerMinute: Double = 600
    /// Restarts running at once (0 = unlimited).
    public var maxConcurrentRestarts = 100
    /// Time windows in which no restart starts; messages are deferred to the window's end.
    public var blackoutWindows: [BlackoutWindowSettings] = []
    /// Blast-radius budgets per group of hosts.
    public var groups: [HostGroupSettings] = []
    /// Pause intake after too many failed restarts.
    public var brake = BrakeSettings()

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dryRun, allowHosts, denyHosts, hostCooldownSeconds, maxRestartsPerMinute, maxConcurrentRestarts,
            blackoutWindows, groups, brake
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dryRun = try c.value(.dryRun, dryRun)
        allowHosts = try c.value(.allowHosts, allowHosts)
        denyHosts = try c.value(.denyHosts, denyHosts)
        hostCooldownSeconds = try c.value(.hostCooldownSeconds, hostCooldownSeconds)
        maxRestartsPerMinute = try c.value(.maxRestartsPerMinute, maxRestartsPerMinute)
        maxConcurrentRestarts = try c.value(.maxConcurrentRestarts, maxConcurrentRestarts)
        blackoutWindows = try c.value(.blackoutWindows, blackoutWindows)
        groups = try c.value(.groups, groups)
        brake = try c.value(.brake, brake)
    }
}

/// One entry of `safety.blackoutWindows`.
public struct BlackoutWindowSettings: Codable, Sendable, Equatable {
    /// Days the window starts on (`mon` … `sun`); empty = every day.
    public var weekdays: [String] = []
    /// `HH:MM-HH:MM`; may cross midnight (`22:00-06:00`).
    public var hours = "00:00-00:00"
    /// IANA time zone the hours are in.
    public var timezone = "UTC"

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case weekdays, hours, timezone }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weekdays = try c.value(.weekdays, weekdays)
        hours = try c.value(.hours, hours)
        timezone = try c.value(.timezone, timezone)
    }
}

/// One entry of `safety.groups`: a blast-radius budget.
public struct HostGroupSettings: Codable, Sendable, Equatable {
    /// Group name, for logs and records.
    public var name = ""
    /// Host globs belonging to the group (first matching group wins).
    public var hosts: [String] = []
    /// Restarts allowed per window in this group.
    public var maxRestartsPerWindow = 1
    /// Window length.
    public var windowSeconds: Double = 3600

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case name, hosts, maxRestartsPerWindow, windowSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, name)
        hosts = try c.value(.hosts, hosts)
        maxRestartsPerWindow = try c.value(.maxRestartsPerWindow, maxRestartsPerWindow)
        windowSeconds = try c.value(.windowSeconds, windowSeconds)
    }
}

/// `safety.brake.*`: stop taking work when restarts keep failing.
public struct BrakeSettings: Codable, Sendable, Equatable {
    /// Failed messages (retries exhausted or permanent) within the window that pause intake (0 = off).
    public var failures = 20
    /// Window the failures are counted in.
    public var windowSeconds: Double = 60

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case failures, windowSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        failures = try c.value(.failures, failures)
        windowSeconds = try c.value(.windowSeconds, windowSeconds)
    }
}
