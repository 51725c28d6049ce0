/// One task that keeps every outstanding lease alive: each `extendEvery` it extends all
/// of them in one batched call, interrupts handlers whose message reached the maximum
/// lease, and warns once about stages running longer than `slowStage`. No per-message
/// timers.
public struct LeaseKeeper: Sendable {
    /// Timing of the keeper.
    public struct Settings: Sendable {
        /// Each extension pushes the lease this far ahead.
        public var ackDeadline: Duration
        /// Interval between batches.
        public var extendEvery: Duration
        /// A message held longer is given up: its handler is interrupted and it is nacked.
        public var maxLease: Duration
        /// A stage running longer logs one warning.
        public var slowStage: Duration

        /// Creates settings from the `lease.*` and `debug.*` configuration.
        public init(_ lease: LeaseSettings, debug: DebugSettings = DebugSettings()) {
            ackDeadline = .seconds(double: lease.ackDeadlineSeconds)
            extendEvery = .seconds(double: lease.extendEverySeconds)
            maxLease = .seconds(double: lease.maxLeaseSeconds)
            slowStage = .seconds(double: debug.slowStageSeconds)
        }
    }

    private let table: InFlightTable
    private let subscription: any Subscription
    private let settings: Settings
    private let clock: any MandrillClock
    private let logger: Logger
    private let observer: any ConsumerObserver
    private let heartbeat: Heartbeat?

    /// Creates a keeper for the deliveries in `table`; it beats `heartbeat` every interval.
    public init(
        table: InFlightTable, subscription: any Subscription, settings: Settings, clock: any MandrillClock,
        logger: Logger, observer: any ConsumerObserver = NoConsumerObserver(), heartbeat: Heartbeat? = nil
    ) {
        self.table = table
        self.subscription = subscription
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.heartbeat = heartbeat
    }

    /// Extends leases every interval until cancelled.
    public func run() async {
        var next = clock.now.advanced(by: settings.extendEvery)
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            await extendOnce()
            heartbeat?.beat()
            next = next.advanced(by: settings.extendEvery)
            // After a long stall, do not fire a burst of catch-up batches.
            if next < clock.now { next = clock.now.advanced(by: settings.extendEvery) }
        }
    }

    /// One batch: extend live leases, expire those past the maximum, warn about slow stages.
    func extendOnce() async {
        let now = clock.now
        var keep: [Delivery] = []
        var keepMessages: [InFlightMessage] = []
        for message in table.all() where !message.isLeaseExpired {
            if message.delivery.receivedAt.duration(to: now) >= settings.maxLease {
                logger.warning("Lease reached its maximum; interrupting the handler.", [
                    "msg_id": message.delivery.id, "host": message.delivery.hostname,
                    "attempt": message.delivery.attempt, "max_lease_s": settings.maxLease.seconds,
                ])
                message.expireLease()
                continue
            }
            keep.append(message.delivery)
            keepMessages.append(message)
            let status = message.status(now: now)
            if status.inStage >= settings.slowStage && message.markSlowWarned() {
                logger.warning("Stage is running slow.", [
                    "msg_id": message.delivery.id, "host": message.delivery.hostname,
                    "attempt": status.attempt, "stage": status.stage.rawValue,
                    "stage_s": Int(status.inStage.seconds),
                ])
            }
        }
        guard !keep.isEmpty else { return }
        let started = clock.now
        await subscription.extendLeases(keep, by: settings.ackDeadline)
        let deadline = now.advanced(by: settings.ackDeadline)
        for message in keepMessages { message.setLeaseDeadline(deadline) }
        observer.leasesExtended(count: keep.count, duration: started.duration(to: clock.now))
        logger.trace("Extended leases.", ["count": keep.count])
    }
}
