/// Publishes restart requests into an `InProcessBroker`: instance names like
/// `cattle-k3x9` from a seeded pool, at a configured rate (or unthrottled), for a
/// configured count (or forever).
public struct InProcessPublisher: Sendable {
    private let broker: InProcessBroker
    private let settings: InProcessSettings
    private let clock: any MandrillClock
    private let logger: Logger

    /// Creates a publisher feeding `broker`.
    public init(broker: InProcessBroker, settings: InProcessSettings, clock: any MandrillClock = SystemClock(), logger: Logger) {
        self.broker = broker
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Publishes until the count is reached, `stopWhen` returns true, or the task is cancelled.
    public func run(stopWhen: @Sendable () -> Bool = { false }) async throws {
        var random = SplitMix64(seed: settings.seed)
        // Host names are built once per pool entry, not per message: each message then
        // shares its pool entry's strings.
        let pool = Self.instancePool(size: settings.hostPoolSize, random: &random)
            .map { (instance: $0, hostname: $0 + settings.hostnameSuffix) }
        // A fixed seed replays the same message ids, like a broker redelivering its backlog
        // after a crash; a random seed gives every run fresh ids.
        let runTag = settings.seed != 0 ? "s\(settings.seed)" : String(UInt64(clock.wallTime * 1000), radix: 36)
        let idPrefix = "m-\(runTag)-"
        let total = settings.messages
        let rate = settings.publishRatePerSecond
        let start = clock.now
        var published = 0
        while !Task.isCancelled && !stopWhen() && (total == 0 || published < total) {
            // Publish in bursts of whatever is due, so high rates do not sleep per message.
            let due: Int
            if rate > 0 {
                let elapsed = start.duration(to: clock.now).seconds
                due = max(0, Int(elapsed * rate) + 1 - published)
            } else {
                due = 1024
            }
            let count = total == 0 ? due : min(due, total - published)
            if count > 0 {
                let wallTime = clock.wallTime
                var batch: [PubSubMessage] = []
                batch.reserveCapacity(count)
                for offset in 0..<count {
                    let host = pool[Int(random.next() % UInt64(pool.count))]
                    batch.append(PubSubMessage(
                        id: MessageID(idPrefix + String(published + offset + 1)), instanceName: host.instance,
                        hostname: host.hostname, publishTime: wallTime))
                    if logger.isEnabled(.debug) {
                        logger.debug("Published message.", ["msg_id": batch[offset].id, "host": batch[offset].hostname])
                    }
                }
                await broker.publish(batch)
                published += count
            }
            if rate > 0 {
                try await clock.sleep(for: .seconds(double: max(1 / rate, 0.01)))
            }
        }
        logger.info("Publisher finished.", ["published": published])
    }

    /// `hostPoolSize` distinct instance names like `cattle-k3x9`.
    static func instancePool(size: Int, random: inout SplitMix64) -> [String] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var names: Set<String> = []
        var pool: [String] = []
        while pool.count < size {
            let suffix = String((0..<4).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let name = "cattle-\(suffix)"
            if names.insert(name).inserted { pool.append(name) }
            // 36^4 names exist; past that, widen the suffix rather than loop forever.
            if names.count >= 1_600_000 { break }
        }
        return pool
    }
}
