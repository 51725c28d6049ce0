import Foundation

/// End to end through a local `redis-server`. The Redis subscription is not in
/// MandrillCore yet; when it is, this file starts a server on a free loopback port and
/// runs a `PipelineRig` over the subscription (the rig takes any `Subscription` plus a
/// publish function), reporting the same fields as `throughput`.
enum RedisScenario {
    static func run(_ options: BenchOptions) async -> BenchLine {
        var line = BenchLine(scenario: .redis)
        line["skipped"] = .text(
            serverPath() == nil ? "redis-server not found on PATH" : "redis subscription not available yet")
        return line
    }

    /// Where `redis-server` is, if it is on `PATH`.
    static func serverPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/redis-server" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
