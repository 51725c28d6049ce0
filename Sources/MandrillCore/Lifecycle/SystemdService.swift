/// Talks to systemd while the daemon runs: `READY=1` once the subscription is ready,
/// `STATUS=` with in-flight and totals, `WATCHDOG=1` at half of `WATCHDOG_USEC` — only
/// while the consumer shows progress — and `EXTEND_TIMEOUT_USEC` while a drain runs.
/// `STOPPING=1` is sent by `stopping()` when shutdown begins. Without `NOTIFY_SOCKET`
/// it does nothing.
public struct SystemdService: Sendable {
    let notifier: SystemdNotifier
    let heartbeat: Heartbeat
    let subscription: any Subscription
    let shutdown: Shutdown
    let table: InFlightTable
    let totals: RunTotals
    let drainTimeout: Duration
    /// Pings stop when the heartbeat is older than this.
    let staleAfter: Duration
    let clock: any MandrillClock
    let logger: Logger

    /// Creates the service.
    public init(
        notifier: SystemdNotifier, heartbeat: Heartbeat, subscription: any Subscription, shutdown: Shutdown,
        table: InFlightTable, totals: RunTotals, drainTimeout: Duration, staleAfter: Duration, clock: any MandrillClock,
        logger: Logger
    ) {
        self.notifier = notifier
        self.heartbeat = heartbeat
        self.subscription = subscription
        self.shutdown = shutdown
        self.table = table
        self.totals = totals
        self.drainTimeout = drainTimeout
        self.staleAfter = staleAfter
        self.clock = clock
        self.logger = logger
    }

    /// Shutdown began: tell systemd, and ask for time to drain.
    public func stopping() {
        notifier.stopping()
        notifier.extendTimeout(drainTimeout + .seconds(15))
    }

    /// Runs until cancelled.
    public func run() async {
        guard notifier.isEnabled else { return }
        while !subscription.isReady && !shutdown.isDraining {
            guard (try? await clock.sleep(for: .milliseconds(50))) != nil else { return }
        }
        if !shutdown.isDraining {
            notifier.ready()
            logger.info("Told systemd the daemon is ready.", [:])
        }
        let tick = min(notifier.watchdogInterval ?? .seconds(1), .seconds(1))
        var sinceStatus = Duration.zero
        var sinceExtend = Duration.zero
        var withholding = false
        while true {
            if let _ = notifier.watchdogInterval {
                if heartbeat.age < staleAfter {
                    notifier.watchdog()
                    withholding = false
                } else if !withholding {
                    withholding = true
                    logger.error("The consumer made no progress; withholding the watchdog ping so systemd restarts the service.", [
                        "stale_s": Int(heartbeat.age.seconds), "in_flight": table.count,
                    ])
                }
            }
            if sinceStatus >= .seconds(5) || sinceStatus == .zero {
                let counts = totals.snapshot
                notifier.status("in_flight=\(table.count) received=\(counts.received) acked=\(counts.acked) nacked=\(counts.nacked) dead_lettered=\(counts.deadLettered)\(shutdown.isDraining ? " draining" : "")")
                sinceStatus = .zero
            }
            if shutdown.isDraining && sinceExtend >= .seconds(5) {
                // Keep systemd's stop timeout ahead of a drain that is still making progress.
                notifier.extendTimeout(drainTimeout + .seconds(15))
                sinceExtend = .zero
            }
            guard (try? await clock.sleep(for: tick)) != nil else { return }
            sinceStatus += tick
            sinceExtend += tick
        }
    }
}
