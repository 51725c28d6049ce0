import Synchronization

/// An in-memory pub/sub broker with real subscription semantics: leases, ack, nack with
/// a delay, redelivery with `attempt + 1` when a lease expires, and credit-based flow
/// control. The embedded default and the benchmarks use it; messages live only as long
/// as the process.
public final class InProcessBroker: Subscription {
    /// Leases, redelivery and backlog limits.
    public struct Settings: Sendable {
        /// A delivery's lease lasts this long unless extended.
        public var ackDeadline: Duration
        /// How often expired leases and due redeliveries are checked.
        public var tick: Duration
        /// `publish` waits while this many messages wait undelivered.
        public var maxBacklog: Int

        /// Creates settings.
        public init(ackDeadline: Duration = .seconds(10), tick: Duration = .milliseconds(50), maxBacklog: Int = 100_000) {
            self.ackDeadline = ackDeadline
            self.tick = tick
            self.maxBacklog = maxBacklog
        }
    }

    public let deliveries: AsyncStream<[Delivery]>
    private let continuation: AsyncStream<[Delivery]>.Continuation
    private let state = Mutex(InProcessBrokerState())
    /// Taken alone by ack, nack, dead-letter and lease extension; inside `state` (never the
    /// other way round) when deliveries are handed out or leases expire.
    private let leases = Mutex(InProcessLeases())
    private let settings: Settings
    private let clock: any MandrillClock

    /// Creates an empty broker.
    public init(settings: Settings = Settings(), clock: any MandrillClock = SystemClock()) {
        self.settings = settings
        self.clock = clock
        (deliveries, continuation) = AsyncStream.makeStream(of: [Delivery].self)
    }

    /// Adds messages to the backlog; waits while the backlog is full.
    public func publish(_ messages: [PubSubMessage]) async {
        let now = clock.now
        let available = StoredInstant(now)
        let handedOut: [Delivery] = state.withLock { state in
            for message in messages {
                state.backlog.append(.init(message: message, deliveries: 0, availableAt: available))
            }
            state.published += messages.count
            return dispatch(&state, now: now)
        }
        yield(handedOut)
        await waitForBacklogRoom()
    }

    private func waitForBacklogRoom() async {
        let limit = settings.maxBacklog
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let full = state.withLock { state in
                guard state.backlog.count >= limit, state.intakeOpen else { return false }
                state.publisherWaiters.append(waiter)
                return true
            }
            if !full { waiter.resume() }
        }
    }

    public func request(_ count: Int) {
        let now = clock.now
        let (handedOut, publishers) = state.withLock { state in
            state.credits += count
            let handedOut = dispatch(&state, now: now)
            // Wake a waiting publisher as soon as there is room, not at the next tick: the
            // tick alone caps intake at about maxBacklog per tick.
            return (handedOut, state.takePublisherWaiters(maxBacklog: settings.maxBacklog))
        }
        for publisher in publishers { publisher.resume() }
        yield(handedOut)
    }

    public func run() async throws {
        while !Task.isCancelled {
            try await clock.sleep(for: settings.tick)
            tick()
        }
    }

    /// Expires leases, releases due redeliveries and hands out what credits allow.
    func tick() {
        let now = clock.now
        let (handedOut, waiters) = state.withLock { state in
            state.release(expired: leases.withLock { $0.expire(now: now) }, now: now)
            let handedOut = dispatch(&state, now: now)
            return (handedOut, state.takePublisherWaiters(maxBacklog: settings.maxBacklog))
        }
        for waiter in waiters { waiter.resume() }
        yield(handedOut)
    }

    public func stopIntake() {
        let waiters = state.withLock { state in
            state.intakeOpen = false
            // Taken, not copied: a later tick or a second stopIntake() (close() calls it)
            // must not resume the same continuations again.
            return state.takePublisherWaiters(maxBacklog: settings.maxBacklog)
        }
        for waiter in waiters { waiter.resume() }
        continuation.finish()
    }

    public func setIntakePaused(_ paused: Bool) {
        let now = clock.now
        let handedOut = state.withLock { state in
            state.paused = paused
            return dispatch(&state, now: now)
        }
        yield(handedOut)
    }

    public func ack(_ delivery: Delivery) {
        settleForGood(delivery, deadLettered: false)
    }

    public func nack(_ delivery: Delivery, delay: Duration) {
        let now = clock.now
        guard var pending = leases.withLock({ $0.settle(delivery) }) else { return }
        pending.availableAt = StoredInstant(now.advanced(by: delay))
        let handedOut: [Delivery] = state.withLock { state in
            if delay <= .zero {
                state.backlog.append(pending)
                return dispatch(&state, now: now)
            }
            state.delayed.append(pending)
            return []
        }
        yield(handedOut)
    }

    public func deadLetter(_ delivery: Delivery, reason: String) {
        settleForGood(delivery, deadLettered: true)
    }

    /// Ends a delivery's lease for good (acked or dead-lettered), counting it when it was
    /// still current. The settled message is released after unlocking.
    private func settleForGood(_ delivery: Delivery, deadLettered: Bool) {
        _ = leases.withLock { leases -> InProcessBrokerState.Pending? in
            let settled = leases.settle(delivery)
            if settled != nil {
                if deadLettered { leases.deadLettered += 1 } else { leases.acked += 1 }
            }
            return settled
        }
    }

    public func extendLeases(_ deliveries: [Delivery], by duration: Duration) async {
        let deadline = clock.now.advanced(by: duration)
        leases.withLock { $0.extend(deliveries, to: deadline) }
    }

    public var isReady: Bool { state.withLock { $0.intakeOpen } }

    public func close() async {
        stopIntake()
    }

    /// Counts for logs and tests: published, waiting (backlog and delayed), in hand, acked,
    /// dead-lettered, expired leases.
    public var counts: (published: Int, waiting: Int, outstanding: Int, acked: Int, deadLettered: Int, expired: Int) {
        state.withLock { state in
            leases.withLock {
                (state.published, state.backlog.count + state.delayed.count, $0.outstanding, $0.acked,
                 $0.deadLettered, $0.expired)
            }
        }
    }

    /// Hands out what credits and backlog allow, leased (under the leases' lock, taken
    /// once for the batch) before they are yielded.
    private func dispatch(_ state: inout InProcessBrokerState, now: ContinuousClock.Instant) -> [Delivery] {
        // Most calls (ticks, credit returns) have nothing to hand out: no leases' lock then.
        guard state.canDispatch else { return [] }
        let deadline = StoredInstant(now.advanced(by: settings.ackDeadline))
        return leases.withLock { leases in
            state.dispatch(now: now) { leases.grant($0, until: deadline) }
        }
    }

    private func yield(_ handedOut: [Delivery]) {
        if !handedOut.isEmpty { continuation.yield(handedOut) }
    }
}
