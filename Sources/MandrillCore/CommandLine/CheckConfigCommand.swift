/// `mandrill check-config`: validates and prints the effective configuration.
enum CheckConfigCommand {
    static func run(_ command: ParsedCommand) throws -> Int32 {
        let configuration = try MandrillCommand.loadConfiguration(command)
        print(configuration.renderJSON())
        MandrillCommand.printError("mandrill: configuration is valid (\(command.values["--config"] ?? "embedded default"))")
        return ExitCode.ok
    }
}
