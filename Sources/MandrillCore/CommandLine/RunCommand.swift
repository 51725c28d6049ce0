import Foundation

/// `mandrill run`: loads the configuration, applies the flags, builds the daemon and runs
/// it until a graceful shutdown.
struct RunCommand {
    let command: ParsedCommand
    let environment: [String: String]

    func run() async throws -> Int32 {
        var configuration = try MandrillCommand.loadConfiguration(command)
        if let level = command.values["--log-level"] {
            guard LogLevel(name: level) != nil else { throw UsageError("--log-level takes trace, debug, info, warning or error, not \"\(level)\"") }
            configuration.logging.level = level
        }
        if let format = command.values["--log-format"] {
            guard LogFormat(rawValue: format) != nil else { throw UsageError("--log-format takes logfmt or json, not \"\(format)\"") }
            configuration.logging.format = format
        }
        if command.flags.contains("--dry-run") { configuration.safety.dryRun = true }
        let limits = Daemon.RunLimits(
            maxMessages: try command.integer("--max-messages", minimum: 1) ?? 0,
            duration: try command.seconds("--duration").map { Duration.seconds(double: $0) })

        let logger = Logger(
            level: LogLevel(name: configuration.logging.level) ?? .info,
            format: LogFormat(rawValue: configuration.logging.format) ?? .logfmt,
            journald: StandardErrorSink.isJournald(environment: environment))
        // Trap signals before anything slow, so an early SIGTERM is not lost.
        let signals = await SignalSource.start()
        // Set first thing in `main`, before any thread allocated (see `HeapGrowth`).
        if !HeapGrowth.isReserved {
            logger.debug("glibc did not take the malloc top pad; heaps grow page by page.", ["top_pad": HeapGrowth.topPad])
        }
        let configPath = command.values["--config"]
        let effective = configuration
        let dryRunFlag = command.flags.contains("--dry-run")
        let builder = DaemonBuilder(configuration: configuration, limits: limits, environment: environment, logger: logger)
        let daemon: Daemon
        do {
            daemon = try await builder.build(signals: signals.signals) { () throws -> Configuration in
                guard let configPath else { return effective }
                var fresh = try Configuration.load(path: configPath)
                // --dry-run on the command line outlives reloads.
                if dryRunFlag { fresh.safety.dryRun = true }
                return fresh
            }
        } catch let failure as CommandFailure {
            logger.error("Could not start the daemon.", ["error": failure.message])
            throw failure
        }
        let exitCode = await daemon.run()
        withExtendedLifetime(signals) {}
        return exitCode
    }
}
