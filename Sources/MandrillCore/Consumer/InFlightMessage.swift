import Synchronization

/// A delivery in hand: its stage for the dump, the signal that wakes its handler from a
/// safety-gate wait, and the hook that lets the lease keeper cancel its handler when the
/// maximum lease is reached.
///
/// `@unchecked Sendable` is not needed: all mutable state sits in a `Mutex`.
public final class InFlightMessage: Sendable {
    /// Why a wait ended.
    public enum WaitResult: Sendable, Equatable {
        /// The awaited work finished.
        case finished
        /// The lease reached `lease.maxLeaseSeconds`.
        case leaseExpired
        /// The handler's task was cancelled (drain deadline).
        case cancelled

        /// Why the current task's work was cut short: lease expiry or the drain deadline.
        static func interruption(of message: InFlightMessage) -> WaitResult {
            message.isLeaseExpired ? .leaseExpired : .cancelled
        }
    }

    private struct State {
        var stage = HandlingStage.received
        var restartAttempt = 0
        var stageSince: StoredInstant
        var leaseDeadline: StoredInstant
        var expired = false
        var signalled = false
        var slowWarned = false
        var waiter: CheckedContinuation<WaitResult, Never>?
    }

    /// The delivery being handled.
    public let delivery: Delivery
    /// Arrival order in the in-flight table (its counter).
    let key: UInt64
    /// The message's slot in the in-flight table, -1 when not in it; read and written
    /// under the table's lock (an atomic only to be a mutable `Sendable` field).
    let slot = Atomic<Int>(-1)
    private let state: Mutex<State>
    /// The handler's task, from `cancelOnLeaseExpiry()` to `handlerFinished()`. A lock of
    /// its own: the cancellation handlers that `cancel()` runs take `state`, and
    /// unregistering under this lock keeps the task alive while someone may cancel it.
    private let handlerTask = Mutex<HandlerTask?>(nil)

    /// `@unchecked Sendable`: the reference is only used to call `cancel()`, which is
    /// thread-safe, and only while the task is alive (see `handlerTask`).
    private struct HandlerTask: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    init(delivery: Delivery, key: UInt64, now: ContinuousClock.Instant, leaseDeadline: ContinuousClock.Instant) {
        self.delivery = delivery
        self.key = key
        self.state = Mutex(State(stageSince: StoredInstant(now), leaseDeadline: StoredInstant(leaseDeadline)))
    }

    /// Records a stage change; returns how long the previous stage lasted and which it was.
    @discardableResult
    func enter(_ stage: HandlingStage, attempt: Int? = nil, now: ContinuousClock.Instant) -> (HandlingStage, Duration) {
        let now = StoredInstant(now)
        return state.withLock { state in
            let previous = (state.stage, state.stageSince.duration(to: now))
            state.stage = stage
            state.stageSince = now
            state.slowWarned = false
            if let attempt { state.restartAttempt = attempt }
            return previous
        }
    }

    /// How long the message has been in its current stage.
    func timeInStage(now: ContinuousClock.Instant) -> Duration {
        let now = StoredInstant(now)
        return state.withLock { $0.stageSince.duration(to: now) }
    }

    /// Stage, restart attempt, time in stage, lease deadline: one consistent reading.
    public func status(now: ContinuousClock.Instant) -> (stage: HandlingStage, attempt: Int, inStage: Duration, leaseDeadline: ContinuousClock.Instant) {
        let now = StoredInstant(now)
        return state.withLock { ($0.stage, $0.restartAttempt, $0.stageSince.duration(to: now), $0.leaseDeadline.instant) }
    }

    /// Marks a slow stage as warned; true the first time for the current stage.
    func markSlowWarned() -> Bool {
        state.withLock { state in
            defer { state.slowWarned = true }
            return !state.slowWarned
        }
    }

    func setLeaseDeadline(_ deadline: ContinuousClock.Instant) {
        let deadline = StoredInstant(deadline)
        state.withLock { $0.leaseDeadline = deadline }
    }

    /// Whether the lease keeper gave up on this message.
    public var isLeaseExpired: Bool { state.withLock { $0.expired } }

    /// The lease reached its maximum: cancel the handler so it gives the message back.
    func expireLease() {
        let waiter = state.withLock { state in
            state.expired = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .leaseExpired)
        handlerTask.withLock { $0?.task.cancel() }
    }

    /// From now until `handlerFinished()`, lease expiry cancels the current task (the
    /// handler's): every stage then stops the way the drain deadline stops it, and tells
    /// the two apart with `isLeaseExpired`. This replaces a cancellable side task per
    /// restart and per backoff, which cost a task allocation and two context switches per
    /// message. Call both from the same task, `handlerFinished()` before it returns.
    func cancelOnLeaseExpiry() {
        let registered = withUnsafeCurrentTask { task in task.map(HandlerTask.init) }
        handlerTask.withLock { $0 = registered }
        if isLeaseExpired { registered?.task.cancel() }
    }

    /// The handler is done: lease expiry no longer cancels anything. Unregistering under
    /// the lock `expireLease` cancels under means the unsafe task reference is never used
    /// after the handler returned.
    func handlerFinished() {
        handlerTask.withLock { $0 = nil }
    }

    /// Prepares for a new `waitForSignal()`.
    func arm() {
        state.withLock { $0.signalled = false }
    }

    /// The awaited work is done.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<WaitResult, Never>? in
            state.signalled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .finished)
    }

    /// Waits until `signal()`, lease expiry or task cancellation, whichever comes first.
    func waitForSignal() async -> WaitResult {
        // Fast path: the work often finishes before anyone waits (a zero-latency restart),
        // and then no continuation or cancellation handler is needed.
        if let settled = state.withLock({ state -> WaitResult? in
            if state.expired { return .leaseExpired }
            return state.signalled ? .finished : nil
        }) {
            return settled
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WaitResult, Never>) in
                let immediate: WaitResult? = state.withLock { state in
                    if state.expired { return .leaseExpired }
                    if state.signalled { return .finished }
                    if Task.isCancelled { return .cancelled }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let (waiter, expired) = state.withLock { state -> (CheckedContinuation<WaitResult, Never>?, Bool) in
                defer { state.waiter = nil }
                return (state.waiter, state.expired)
            }
            waiter?.resume(returning: expired ? .leaseExpired : .cancelled)
        }
    }
}
