/// A configuration problem, naming the JSON path it is about
/// (`restarter.comand: unknown key`). The daemon exits 78 on one.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted JSON path, for example `lease.ackDeadlineSeconds`; empty for the whole file.
    public let path: String
    /// What is wrong with the value at `path`.
    public let message: String

    /// Creates an error about `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Several configuration problems found at once, so the operator can fix them in one go.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    /// Each problem, in file order.
    public let errors: [ConfigurationError]

    /// Wraps a non-empty list of problems.
    public init(_ errors: [ConfigurationError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
