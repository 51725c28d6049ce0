import Foundation

/// The `mandrill` program: parses the command line and runs a subcommand. Returns the
/// exit code; the executable only calls this and exits.
public enum MandrillCommand {
    /// The program's version.
    public static let version = "0.1.0"

    /// Every subcommand; `run` is the default.
    public static let parser = CommandLineParser(commands: [
        CommandSpec(
            name: "run", summary: "Run the daemon (the default command).",
            options: [
                ("--config", "FILE"), ("--log-level", "LEVEL"), ("--log-format", "logfmt|json"),
                ("--max-messages", "N"), ("--duration", "SECONDS"),
            ],
            flags: ["--dry-run"]),
        CommandSpec(name: "check-config", summary: "Validate the configuration and print the effective settings.", options: [("--config", "FILE")]),
        CommandSpec(name: "status", summary: "Totals, in-doubt messages and recent restarts from the state directory.", options: [("--config", "FILE")], flags: ["--json"]),
        CommandSpec(
            name: "history", summary: "Restart records, newest first.",
            options: [("--config", "FILE"), ("--host", "HOST"), ("--since", "SECONDS"), ("--limit", "N")], flags: ["--json"]),
        CommandSpec(name: "publish", summary: "Publish restart requests to the configured broker.", options: [("--config", "FILE")], positionals: "HOSTNAME..."),
        CommandSpec(name: "systemd-unit", summary: "Print a hardened systemd unit for this configuration.", options: [("--config", "FILE")]),
    ])

    /// Runs the program with `arguments` (without the program name).
    public static func main(arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        // A closed stderr (a log pipe that went away) or a dropped socket must surface as a
        // write error, never kill the daemon mid-drain.
        signal(SIGPIPE, SIG_IGN)
        let command: ParsedCommand
        do {
            command = try parser.parse(arguments)
        } catch {
            printError("mandrill: \(error.message)\n\n\(parser.usage)")
            return ExitCode.usage
        }
        if command.flags.contains("--help") {
            print(parser.usage)
            return ExitCode.ok
        }
        if command.flags.contains("--version") {
            print("mandrill \(version)")
            return ExitCode.ok
        }
        do {
            switch command.name {
            case "run": return try await RunCommand(command: command, environment: environment).run()
            case "check-config": return try CheckConfigCommand.run(command)
            case "status": return try StatusCommand.run(command)
            case "history": return try HistoryCommand.run(command)
            case "publish": return try await PublishCommand.run(command, environment: environment)
            case "systemd-unit": return try SystemdUnitCommand.run(command)
            default: return ExitCode.usage
            }
        } catch let error as UsageError {
            printError("mandrill: \(error.message)\n\n\(parser.usage)")
            return ExitCode.usage
        } catch let errors as ConfigurationErrors {
            for error in errors.errors { printError("mandrill: configuration error: \(error)") }
            return ExitCode.config
        } catch let error as CommandFailure {
            printError("mandrill: \(error.message)")
            return error.exitCode
        } catch {
            printError("mandrill: \(error)")
            return ExitCode.software
        }
    }

    /// Loads `--config FILE`, or the embedded default when it is absent.
    static func loadConfiguration(_ command: ParsedCommand) throws(ConfigurationErrors) -> Configuration {
        guard let path = command.values["--config"] else { return Configuration() }
        return try Configuration.load(path: path)
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// A subcommand failing with a message and an exit code.
public struct CommandFailure: Error, Sendable {
    /// What to tell the user.
    public let message: String
    /// The exit code.
    public let exitCode: Int32

    /// Creates a failure.
    public init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }
}
