/// Parses `mandrill [SUBCOMMAND] [OPTIONS] [ARGS]` against a list of subcommands:
/// `--name value` and `--name=value`, flags, positionals after the options or after `--`.
public struct CommandLineParser: Sendable {
    /// Accepted subcommands; the first is the default when none is named.
    public let commands: [CommandSpec]

    /// Creates a parser for `commands`.
    public init(commands: [CommandSpec]) {
        self.commands = commands
    }

    /// Parses arguments (without the program name). `--help`, `-h` and `--version` come
    /// back as flags of the chosen command.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedCommand {
        var rest = arguments[...]
        var spec = commands[0]
        if let first = rest.first, !first.hasPrefix("-") {
            guard let named = commands.first(where: { $0.name == first }) else {
                throw UsageError("unknown command \"\(first)\"")
            }
            spec = named
            rest = rest.dropFirst()
        }
        var parsed = ParsedCommand(name: spec.name)
        var onlyPositionals = false
        while let argument = rest.popFirst() {
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                guard spec.positionals != nil else {
                    throw UsageError("\(spec.name) takes no arguments, but got \"\(argument)\"")
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            if ["--help", "-h", "--version"].contains(argument) {
                parsed.flags.insert(argument == "-h" ? "--help" : argument)
                continue
            }
            let (name, inlineValue) = Self.split(argument)
            if spec.options.contains(where: { $0.name == name }) {
                guard let value = inlineValue ?? rest.popFirst() else {
                    throw UsageError("\(name) needs a value")
                }
                parsed.values[name] = value
            } else if spec.flags.contains(name) {
                guard inlineValue == nil else { throw UsageError("\(name) takes no value") }
                parsed.flags.insert(name)
            } else {
                throw UsageError("unknown option \(name) for \(spec.name)")
            }
        }
        return parsed
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// The usage text listing every subcommand.
    public var usage: String {
        var lines = ["usage:"]
        for spec in commands {
            lines.append("  \(spec.synopsis)")
            lines.append("      \(spec.summary)")
        }
        lines.append("  mandrill --help | --version")
        return lines.joined(separator: "\n")
    }
}
