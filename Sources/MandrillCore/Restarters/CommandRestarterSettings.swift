/// Everything a `CommandRestarter` needs, as the configuration layer builds it.
///
/// Sendable: a value type. Durations are expected to be positive and `maxOutputBytes`
/// non-negative; the configuration layer validates the numbers, `CommandRestarter.init`
/// validates the templates.
public struct CommandRestarterSettings: Sendable, Equatable {
    /// The optional check that a restarted host is back.
    public struct Verification: Sendable, Equatable {
        /// The check's argv template; exit 0 means the host is back.
        public var argv: [String]
        /// Pause between failed checks.
        public var interval: Duration
        /// How long after the restart the host must be back.
        public var timeout: Duration
        /// The bound on one run of the check.
        public var attemptTimeout: Duration

        /// Creates verification settings.
        public init(
            argv: [String],
            interval: Duration = .seconds(5),
            timeout: Duration = .seconds(300),
            attemptTimeout: Duration = .seconds(10)
        ) {
            self.argv = argv
            self.interval = interval
            self.timeout = timeout
            self.attemptTimeout = attemptTimeout
        }
    }

    /// The restart command's argv template (`restarter.command.argv`).
    public var argv: [String]
    /// How long the command may run before its process group is terminated.
    public var timeout: Duration
    /// How long after SIGTERM the process group gets SIGKILL.
    public var killAfter: Duration
    /// Bytes of stdout, and separately of stderr, kept per run.
    public var maxOutputBytes: Int
    /// Exit codes that mean "try again later"; any other non-zero code is permanent.
    public var retryableExitCodes: Set<Int32>
    /// Environment variables passed on besides `ChildEnvironment.defaultNames`.
    public var extraEnvironmentNames: [String]
    /// The check run after a successful restart, if any.
    public var verify: Verification?

    /// Creates settings; 75 is EX_TEMPFAIL, 255 is what ssh exits with when it cannot connect.
    public init(
        argv: [String],
        timeout: Duration = .seconds(60),
        killAfter: Duration = .seconds(5),
        maxOutputBytes: Int = 64 * 1024,
        retryableExitCodes: Set<Int32> = [75, 255],
        extraEnvironmentNames: [String] = [],
        verify: Verification? = nil
    ) {
        self.argv = argv
        self.timeout = timeout
        self.killAfter = killAfter
        self.maxOutputBytes = maxOutputBytes
        self.retryableExitCodes = retryableExitCodes
        self.extraEnvironmentNames = extraEnvironmentNames
        self.verify = verify
    }
}
