import Synchronization

/// Pulls deliveries and handles each in its own child of one task group, never more than
/// `maxInFlight` at once (the subscription hands out deliveries only against credits).
///
/// When shutdown begins the subscription stops intake; deliveries already handed out but
/// not started are nacked at once, in-flight ones finish. When shutdown is forced (drain
/// deadline or second signal) the remaining handlers are cancelled: they record
/// `abandoned` and nack.
public struct Consumer: Sendable {
    /// Limits of the consumer.
    public struct Settings: Sendable {
        /// Most deliveries in hand at once.
        public var maxInFlight: Int
        /// Stop (gracefully) after taking this many deliveries; 0 = never.
        public var maxMessages: Int
        /// Initial lease of a delivery, for the dump until the first extension.
        public var ackDeadline: Duration

        /// Creates settings.
        public init(maxInFlight: Int, maxMessages: Int = 0, ackDeadline: Duration = .seconds(10)) {
            self.maxInFlight = maxInFlight
            self.maxMessages = maxMessages
            self.ackDeadline = ackDeadline
        }
    }

    private let subscription: any Subscription
    private let handler: MessageHandler
    private let table: InFlightTable
    private let shutdown: Shutdown
    private let settings: Settings
    private let clock: any MandrillClock
    private let logger: Logger
    private let observer: any ConsumerObserver
    private let manifest: ShutdownManifest

    /// Creates a consumer; messages finishing after shutdown began are listed in `manifest`.
    public init(
        subscription: any Subscription, handler: MessageHandler, table: InFlightTable, shutdown: Shutdown,
        settings: Settings, clock: any MandrillClock, logger: Logger, observer: any ConsumerObserver = NoConsumerObserver(),
        manifest: ShutdownManifest = ShutdownManifest()
    ) {
        self.subscription = subscription
        self.handler = handler
        self.table = table
        self.shutdown = shutdown
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.manifest = manifest
    }

    /// Consumes until intake stops and every handler has finished, or until shutdown is
    /// forced and the cancelled handlers have settled their messages.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await consume() }
            group.addTask { await shutdown.waitUntilForced() }
            // Whichever ends first: normal end of consumption, or the order to cancel.
            await group.next()
            group.cancelAll()
        }
    }

    private func consume() async {
        let budget = CreditBudget(maxMessages: settings.maxMessages)
        let runner = HandlerRunner(
            handler: handler, table: table, subscription: subscription, shutdown: shutdown, manifest: manifest,
            observer: observer, budget: budget,
            returns: CreditReturns(batch: CreditReturns.batchSize(maxInFlight: settings.maxInFlight)))
        subscription.request(budget.take(settings.maxInFlight))
        var taken = 0
        // A throwing group although no child throws: its children take the
        // `() async throws` closure the runtime runs, so each child task saves two
        // reabstraction thunks' frames (mandrill-bench `inflight`, bytes per message).
        try? await withThrowingDiscardingTaskGroup { group in
            for await batch in subscription.deliveries {
                let now = clock.now
                for delivery in batch {
                    if shutdown.isDraining {
                        // Handed out but not started: give it back now rather than start work.
                        group.addTask { await returnUnstarted(delivery) }
                        continue
                    }
                    taken += 1
                    let message = table.insert(delivery, now: now, leaseDeadline: now.advanced(by: settings.ackDeadline))
                    group.addTask { await runner.handle(message) }
                    if settings.maxMessages > 0 && taken >= settings.maxMessages {
                        logger.info("Took the requested number of messages; stopping after they finish.", [
                            "max_messages": settings.maxMessages,
                        ])
                        shutdown.begin(.maxMessages(settings.maxMessages))
                    }
                }
                observer.inFlightChanged(table.count)
                // Let the handlers just started run before the next batch is taken: while
                // the subscription has batches ready this loop never suspends, and on a
                // busy pool a burst's handlers would all wait until the whole burst was
                // taken — 100,000 deliveries meant the first restart began ~50 ms late
                // (mandrill-bench `inflight`).
                if batch.count >= Self.yieldingBatch { await Task.yield() }
            }
        }
    }

    /// Batches at least this large are followed by a yield (see `consume`); smaller ones
    /// are not worth a trip through the executor.
    static let yieldingBatch = 64

    /// Records and nacks a delivery that was handed out after intake stopped.
    private func returnUnstarted(_ delivery: Delivery) async {
        let now = clock.now
        let message = table.insert(delivery, now: now, leaseDeadline: now.advanced(by: settings.ackDeadline))
        defer { table.remove(message) }
        observer.received()
        let outcome = await handler.finish(
            message, .nack("shutdown_unstarted", delay: .zero), extra: handler.beforeFinal(handler.record(.received, message)))
        manifest.record(delivery.id, outcome)
    }
}

/// What one handler's child task does around the handler: take the message out of the
/// in-flight table, give its credit back, list the outcome in the manifest during
/// shutdown. One reference, so that each
/// child task's closure captures two pointers rather than a copy of the consumer's fields
/// (about 700 bytes per message in flight).
private final class HandlerRunner: Sendable {
    let handler: MessageHandler
    let table: InFlightTable
    let subscription: any Subscription
    let shutdown: Shutdown
    let manifest: ShutdownManifest
    let observer: any ConsumerObserver
    let budget: CreditBudget
    let returns: CreditReturns

    init(
        handler: MessageHandler, table: InFlightTable, subscription: any Subscription, shutdown: Shutdown,
        manifest: ShutdownManifest, observer: any ConsumerObserver, budget: CreditBudget, returns: CreditReturns
    ) {
        self.handler = handler
        self.table = table
        self.subscription = subscription
        self.shutdown = shutdown
        self.manifest = manifest
        self.observer = observer
        self.budget = budget
        self.returns = returns
    }

    /// Inlined into the child task's closure: one async frame less per message in flight.
    @inline(__always)
    func handle(_ message: InFlightMessage) async {
        let outcome = await handler.handle(message)
        table.remove(message)
        if shutdown.isDraining {
            manifest.record(message.delivery.id, outcome)
        } else if let returned = returns.finished() {
            let credits = budget.take(returned)
            if credits > 0 { subscription.request(credits) }
        }
        observer.inFlightChanged(table.count)
    }
}

/// Slots freed by finished handlers, given back to the subscription in batches: one
/// `request` per message would take the subscription's lock (and wake its publisher) once
/// per message. At most `batch - 1` slots wait unreturned, so the consumer never stalls:
/// when nothing is in hand the subscription still holds credits.
final class CreditReturns: Sendable {
    private let pending = Atomic<Int>(0)
    private let batch: Int

    init(batch: Int) {
        self.batch = max(1, batch)
    }

    /// A sixteenth of the in-flight limit, at most 64: small next to the limit, large
    /// enough to amortise the subscription's lock.
    static func batchSize(maxInFlight: Int) -> Int {
        min(64, max(1, maxInFlight / 16))
    }

    /// One handler finished; returns the slots to give back when a batch is complete.
    func finished() -> Int? {
        guard pending.add(1, ordering: .relaxed).newValue >= batch else { return nil }
        let returned = pending.exchange(0, ordering: .relaxed)
        return returned > 0 ? returned : nil
    }
}

/// Credits left to hand out when `--max-messages` limits the run.
final class CreditBudget: Sendable {
    private let remaining: Atomic<Int>
    private let limited: Bool

    init(maxMessages: Int) {
        limited = maxMessages > 0
        remaining = Atomic(maxMessages)
    }

    /// Takes up to `wanted` credits; all of them when the run is unlimited.
    func take(_ wanted: Int) -> Int {
        guard limited else { return wanted }
        while true {
            let current = remaining.load(ordering: .relaxed)
            let granted = min(current, wanted)
            if granted <= 0 { return 0 }
            if remaining.compareExchange(expected: current, desired: current - granted, ordering: .relaxed).exchanged {
                return granted
            }
        }
    }
}
