enum PublishCommand { static func run(_ command: ParsedCommand, environment: [String: String]) async throws -> Int32 { throw CommandFailure("publish: not built yet", exitCode: 70) } }
