/// What one subcommand accepts.
public struct CommandSpec: Sendable {
    /// Subcommand name (`run`, `status`, …).
    public let name: String
    /// One-line summary for `--help`.
    public let summary: String
    /// Options that take a value (`--config FILE`), with a word naming the value.
    public let options: [(name: String, value: String)]
    /// Options without a value (`--json`).
    public let flags: [String]
    /// Word naming positional arguments (`HOSTNAME...`); nil when none are accepted.
    public let positionals: String?

    /// Describes a subcommand.
    public init(name: String, summary: String, options: [(name: String, value: String)] = [], flags: [String] = [], positionals: String? = nil) {
        self.name = name
        self.summary = summary
        self.options = options
        self.flags = flags
        self.positionals = positionals
    }

    /// `mandrill status [--config FILE] [--json]`.
    public var synopsis: String {
        var parts = ["mandrill", name]
        parts += options.map { "[\($0.name) \($0.value)]" }
        parts += flags.map { "[\($0)]" }
        if let positionals { parts.append(positionals) }
        return parts.joined(separator: " ")
    }
}

/// A parsed command line.
public struct ParsedCommand: Sendable, Equatable {
    /// The subcommand.
    public var name: String
    /// Values of options given, by option name (`--config` → path).
    public var values: [String: String] = [:]
    /// Flags given.
    public var flags: Set<String> = []
    /// Positional arguments in order.
    public var positionals: [String] = []

    /// The value of `option` as a whole number ≥ `minimum`, or nil when absent.
    public func integer(_ option: String, minimum: Int = 0) throws(UsageError) -> Int? {
        guard let text = values[option] else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw UsageError("\(option) takes a whole number of at least \(minimum), not \"\(text)\"")
        }
        return value
    }

    /// The value of `option` as a number of seconds > 0, or nil when absent.
    public func seconds(_ option: String) throws(UsageError) -> Double? {
        guard let text = values[option] else { return nil }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw UsageError("\(option) takes a positive number of seconds, not \"\(text)\"")
        }
        return value
    }
}

/// A command line the program cannot accept; exit 64 with usage.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    /// Creates a usage error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
