import Glibc

/// Builds a child's environment from an allowlist of the parent's variables.
///
/// Not instantiable; a namespace. Nothing outside the allowlist reaches a restart command,
/// so secrets in the daemon's environment stay in the daemon.
public enum ChildEnvironment {
    /// The variables passed by default.
    public static let defaultNames = [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "SSH_AUTH_SOCK",
    ]

    /// PATH for the child when the daemon itself has none.
    public static let fallbackPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Whether `name` is never passed on, even when allowlisted.
    ///
    /// These describe the daemon's own systemd plumbing: a child that saw NOTIFY_SOCKET or
    /// WATCHDOG_* could report readiness or pet the watchdog for the daemon, and LISTEN_*
    /// would make it believe it had been socket-activated.
    public static func isForbidden(_ name: String) -> Bool {
        name == "NOTIFY_SOCKET" || name.hasPrefix("WATCHDOG_") || name.hasPrefix("LISTEN_")
    }

    /// The default names plus `extraNames`, minus forbidden ones, with their values from
    /// `lookup` (the process environment by default); PATH is always present.
    public static func allowlisted(
        extraNames: [String] = [],
        lookup: (String) -> String? = processValue
    ) -> [String: String] {
        var environment: [String: String] = [:]
        for name in defaultNames + extraNames where !isForbidden(name) {
            if let value = lookup(name) {
                environment[name] = value
            }
        }
        if environment["PATH"] == nil {
            environment["PATH"] = fallbackPath
        }
        return environment
    }

    /// The value of `name` in this process's environment.
    public static func processValue(_ name: String) -> String? {
        guard !name.isEmpty, !name.contains("="), let value = getenv(name) else {
            return nil
        }
        return String(cString: value)
    }
}
