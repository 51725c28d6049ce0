import Foundation

/// `mandrill publish HOSTNAME...`: appends one restart request per host to the configured
/// Redis stream and prints each entry id on its own line.
enum PublishCommand {
    static func run(_ command: ParsedCommand, environment: [String: String]) async throws -> Int32 {
        let configuration = try MandrillCommand.loadConfiguration(command)
        let hosts = command.positionals
        guard !hosts.isEmpty else { throw UsageError("publish needs at least one HOSTNAME") }
        for host in hosts {
            if let problem = RedisStreamEntry.hostProblem(host) { throw UsageError("\"\(host)\": \(problem)") }
        }
        guard configuration.subscription.kind == .redis else {
            throw CommandFailure(
                "publishing needs a broker: the in-process broker lives inside the daemon; set subscription.kind to \"redis\"",
                exitCode: ExitCode.unavailable)
        }
        let redis = configuration.subscription.redis
        let endpoint = try RedisPasswordSource(settings: redis, environment: environment).endpoint(url: redis.url)
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(to: endpoint)
        } catch {
            throw CommandFailure("cannot reach Redis at \(endpoint): \(RedisError.wrapping(error))", exitCode: ExitCode.unavailable)
        }
        defer { connection.close() }
        do {
            let publisher = RedisStreamPublisher(sender: connection, stream: redis.stream, maxLength: redis.maxLength)
            let ids = try await publisher.publish(hosts, publishedAt: Date().timeIntervalSince1970)
            print(ids.joined(separator: "\n"))
        } catch {
            throw CommandFailure(
                "cannot publish to \(redis.stream) at \(endpoint): \(RedisError.wrapping(error))", exitCode: ExitCode.unavailable)
        }
        return ExitCode.ok
    }
}
