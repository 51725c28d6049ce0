import Foundation
import Glibc
import MandrillCore

/// End to end through a local `redis-server` started on a free loopback port: requests are
/// published with pipelined `XADD`s while one consumer reads them through the real
/// `RedisStreamSubscription` and the real pipeline (journal in memory, zero-latency
/// restarts), so the number is Redis's round trips plus the pipeline.
enum RedisScenario {
    static let maxInFlight = 1_000
    static let publishBatch = 1_000

    static func run(_ options: BenchOptions) async -> BenchLine {
        var line = BenchLine(scenario: .redis)
        guard let server = serverPath() else {
            line["skipped"] = .text("redis-server not found on PATH")
            return line
        }
        do {
            return try await measure(options, server: server)
        } catch {
            line["skipped"] = .text("redis-server did not start: \(error)")
            return line
        }
    }

    static func measure(_ options: BenchOptions, server: String) async throws -> BenchLine {
        let count = options.messageCount(for: .redis)
        let redis = try LocalRedis(executable: server)
        defer { redis.stop() }
        let endpoint = try RedisEndpoint(url: "redis://127.0.0.1:\(redis.port)/0")
        var settings = RedisSettings()
        settings.stream = "bench:restarts"
        settings.group = "bench"
        settings.consumer = "bench-1"
        settings.blockMilliseconds = 100
        settings.maxLength = 0
        let subscription = RedisStreamSubscription(
            endpoint: endpoint, settings: .init(settings), logger: .silent)
        let publisherClient = RedisClient(endpoint: endpoint)
        let publisher = RedisStreamPublisher(sender: publisherClient, stream: settings.stream, maxLength: 0)
        let rig = PipelineRig(
            feed: subscription,
            publish: { stopWhen in
                var published = 0
                while published < count && !stopWhen() {
                    let size = min(publishBatch, count - published)
                    let hosts = (published..<published + size).map { "cattle-\($0 % 1000).example.net" }
                    _ = try await publisher.publish(hosts, publishedAt: TimedSubscription<InProcessBroker>.wallTime())
                    published += size
                }
            },
            store: InMemoryStateStore(keepRecords: false),
            settings: .init(maxInFlight: maxInFlight, maxMessages: count, restartLatencyMs: 0, recordLatency: options.recordLatency))
        let outcome = await rig.run()
        publisherClient.close()
        var line = BenchLine(
            scenario: .redis, messages: count, seconds: outcome.seconds,
            latency: outcome.subscription.publishToAck, baselineRate: options.baselineRate)
        line["handling_p50_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.50))
        line["handling_p99_ms"] = .number(outcome.subscription.receiveToAck.percentileMilliseconds(0.99))
        line["max_in_flight"] = .int(maxInFlight)
        line["store"] = .text("memory")
        line["acked"] = .int(outcome.totals.acked)
        line["unaccounted"] = .int(outcome.unaccounted)
        return line
    }

    /// Where `redis-server` is, if it is on `PATH`.
    static func serverPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/redis-server" } + ["/usr/bin/redis-server"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A throwaway `redis-server` on a free loopback port with a temporary directory.
final class LocalRedis: Sendable {
    struct StartFailed: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let process: Process
    private let directory: String

    init(executable: String) throws {
        port = Self.freePort()
        directory = NSTemporaryDirectory() + "mandrill-bench-redis-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until it accepts connections.
        for _ in 0..<200 {
            if Self.accepts(port: port) { return }
            usleep(20_000)
        }
        stop()
        throw StartFailed(description: "no answer on port \(port) within 4 s")
    }

    func stop() {
        if process.isRunning {
            // SIGKILL, not SIGTERM: a child spawned from a task thread can inherit a mask
            // that blocks SIGTERM, and this server holds nothing worth a clean shutdown.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
