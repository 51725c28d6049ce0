enum PublishCommand { static func run(_ command: ParsedCommand, environment: [String: String]) async throws -> Int32 { throw CommandFailure("publish: not built yet", exitCode: 70) } }
enum SystemdUnitCommand { static func run(_ command: ParsedCommand) throws -> Int32 { throw CommandFailure("systemd-unit: not built yet", exitCode: 70) } }
