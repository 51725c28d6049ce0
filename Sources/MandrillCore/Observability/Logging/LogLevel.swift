/// Severity of a log line, lowest first.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Every step, for chasing a bug.
    case trace
    /// Stage transitions and decisions.
    case debug
    /// One line per message event: pulled, restarted, saved, acked.
    case info
    /// Something went wrong with one message, or a limit was hit.
    case warning
    /// The daemon itself is in trouble.
    case error

    /// Parses `trace`, `debug`, `info`, `warning` (or `warn`), `error`.
    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// The syslog priority journald expects as a `<N>` prefix.
    var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .warning: 4
        case .error: 3
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `key=value` pairs, quoted where needed.
    case logfmt
    /// One JSON object per line.
    case json
}
