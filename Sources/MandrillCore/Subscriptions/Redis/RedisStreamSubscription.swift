import Synchronization

/// A `Subscription` on a Redis Streams consumer group: many daemons share one group, each
/// entry goes to one of them, and entries a dead daemon left pending are reclaimed.
/// Sendable: its state is a `Mutex` and its connections are Sendable clients.
///
/// - Intake runs on its own connection: first this consumer's own pending entries
///   (`XREADGROUP … 0`, a restarted daemon with the same consumer name), then new ones
///   (`XREADGROUP … COUNT <free credits> BLOCK … >`), and every `reclaimEvery` entries
///   idle longer than `reclaimIdle` anywhere in the group (`XAUTOCLAIM`). It never holds
///   more entries than `request` granted credits. `stopIntake()` closes that connection,
///   which ends a blocking read at once.
/// - The group is created at the stream's first entry (`XGROUP CREATE … 0 MKSTREAM`), so
///   requests published before the first daemon ever started are processed.
/// - Acks, dead-letters and nacks only queue; a flusher sends them in pipelines on the
///   command connection, and after an outage sends what is still queued.
/// - Leases: Redis keeps no deadline, only each entry's idle time. An extension resets it
///   (`XCLAIM … 0 ids JUSTID`), so an entry stays ours for `reclaimIdle` after the last
///   extension (validation keeps that above `lease.ackDeadlineSeconds`).
/// - Nack: Redis has none. The entry's idle time is set to `reclaimIdle - delay`
///   (`XCLAIM … IDLE`), so it becomes reclaimable after `delay` (at most `reclaimIdle`)
///   and the next `XAUTOCLAIM` of any daemon redelivers it with its count raised.
/// - The delivery count (`attempt`) comes from the group's pending-entries list.
public final class RedisStreamSubscription: Subscription {
    public let deliveries: AsyncStream<[Delivery]>
    private let continuation: AsyncStream<[Delivery]>.Continuation
    let settings: Settings
    let commands: RedisStreamCommands
    /// Acks, dead-letters, nacks and lease extensions.
    let commandClient: RedisClient
    /// The intake loop's reads only, so a blocking read never delays an ack.
    let readClient: RedisClient
    let state = Mutex(RedisStreamState())
    let intakeWake = RedisWakeSignal()
    let flushWake = RedisWakeSignal()
    let clock: any MandrillClock
    let logger: Logger

    /// Creates a subscription; it connects when `run()` starts. Connection changes are
    /// logged once each (every failed attempt is one backoff step).
    public init(
        endpoint: RedisEndpoint, settings: Settings, options: RedisConnection.Options = RedisConnection.Options(),
        backoff: RedisReconnectBackoff = RedisReconnectBackoff(), clock: any MandrillClock = SystemClock(), logger: Logger
    ) {
        self.settings = settings
        self.commands = settings.commands
        self.clock = clock
        self.logger = logger
        commandClient = RedisClient(
            endpoint: endpoint, options: options, backoff: backoff, clock: clock,
            onStateChange: Self.logChange(logger, endpoint: endpoint, connection: "commands"))
        readClient = RedisClient(
            endpoint: endpoint, options: options, backoff: backoff, clock: clock,
            onStateChange: Self.logChange(logger, endpoint: endpoint, connection: "reads"))
        (deliveries, continuation) = AsyncStream.makeStream(of: [Delivery].self)
    }

    public func request(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.credits += count }
        intakeWake.signal()
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.runIntake() }
            group.addTask { await self.runFlusher() }
        }
    }

    public func stopIntake() {
        let wasOpen = state.withLock { state in
            defer { state.intakeOpen = false }
            return state.intakeOpen
        }
        guard wasOpen else { return }
        continuation.finish()
        // Ends a blocking read now; entries it would have returned stay pending in the group.
        readClient.close()
        intakeWake.signal()
    }

    public func setIntakePaused(_ paused: Bool) {
        state.withLock { $0.paused = paused }
        intakeWake.signal()
    }

    public func ack(_ delivery: Delivery) {
        if state.withLock({ $0.ack(delivery.id.rawValue) }) { flushWake.signal() }
    }

    public func nack(_ delivery: Delivery, delay: Duration) {
        let idle = max(.zero, settings.reclaimIdle - max(.zero, delay))
        if state.withLock({ $0.release(delivery.id.rawValue, idle: idle) }) { flushWake.signal() }
    }

    public func deadLetter(_ delivery: Delivery, reason: String) {
        let first = state.withLock { $0.deadLetter(delivery.id.rawValue, reason: reason, deliveryCount: delivery.attempt) }
        if first { flushWake.signal() }
    }

    public var isReady: Bool {
        let (open, groupReady) = state.withLock { ($0.intakeOpen, $0.groupReady) }
        return open && groupReady && readClient.isConnected && commandClient.consecutiveFailures == 0
    }

    /// Entries handed out and not yet settled.
    public var heldCount: Int { state.withLock { $0.held.count } }

    /// Acks, dead-letters and nacks not yet confirmed by Redis (queued or being sent).
    public var unsentSettlements: Int { state.withLock { $0.queued.count + $0.sending } }

    /// Hands out a batch of deliveries; a batch dropped because intake stopped meanwhile is
    /// released.
    func yield(_ deliveries: [Delivery]) {
        guard !deliveries.isEmpty, case .terminated = continuation.yield(deliveries) else { return }
        let dropped = deliveries.map(\.id.rawValue)
        let wake = state.withLock { state in
            dropped.map { state.release($0, idle: settings.reclaimIdle) }.contains(true)
        }
        if wake { flushWake.signal() }
    }

    private static func logChange(
        _ logger: Logger, endpoint: RedisEndpoint, connection: String
    ) -> @Sendable (RedisClient.Event) -> Void {
        { event in
            switch event {
            case .connected(let attempt):
                logger.info(attempt > 1 ? "Reconnected to Redis." : "Connected to Redis.", [
                    "redis": endpoint, "connection": connection, "attempt": attempt,
                ])
            case .connectFailed(let error, let attempt, let retryIn):
                logger.warning("Cannot connect to Redis; retrying.", [
                    "redis": endpoint, "connection": connection, "attempt": attempt, "error": error,
                    "retry_in_ms": Int(retryIn.seconds * 1000),
                ])
            case .disconnected(let error):
                logger.warning("Lost the connection to Redis; in-flight work continues.", [
                    "redis": endpoint, "connection": connection, "error": error,
                ])
            }
        }
    }
}
