import Dispatch
import Synchronization

/// Sleeping tasks that share one Dispatch timer: each sleep is a slot holding its
/// continuation (`SleeperSlots`) and a heap entry by deadline, and the timer is re-armed
/// only when the earliest deadline changes.
///
/// `Task.sleep` arms a kernel timer per call (a `timerfd_settime` and a wake-up of
/// Dispatch's manager thread each); with 100,000 restarts sleeping at once that was a
/// fifth of the daemon's CPU (mandrill-bench `inflight`). Here sleepers whose deadlines
/// fall within `coalescing` of the earliest wake together, and a sleep never ends early.
///
/// The timer is a Dispatch source on a private queue: the one boundary where work starts
/// outside the task tree. Its handler only resumes continuations.
///
/// Sendable: all mutable state is behind the mutex.
final class SleepQueue: Sendable {
    /// How late a sleep may end so that neighbours can share one wake-up.
    static let coalescing: Duration = .milliseconds(1)
    /// Deadlines are rounded up to a multiple of this, so a sleep ends at most
    /// `quantum + coalescing` after its deadline (never before). Sleepers arriving within
    /// one quantum share a deadline, so two threads racing to register sleeps of one
    /// latency still add them to the heap's in-order run in order.
    static let quantum: Duration = .milliseconds(1)

    private typealias Sleepers = SleeperSlots<UnsafeContinuation<Void, any Error>>

    private struct State {
        /// Entries carry their sleeper's ticket; ids are in order of registration.
        var heap = DeadlineHeap<Sleepers.Ticket>()
        var lastEntry: UInt64 = 0
        var sleepers = Sleepers()
        /// When the timer is set to fire (in ticks), if it is.
        var armedFor: Int64?
        /// Created on the first sleep.
        var timer: (any DispatchSourceTimer)?
        /// The list `fire` collects due continuations in, kept between firings (empty).
        var wakeList: [UnsafeContinuation<Void, any Error>] = []
    }

    /// Most continuations a kept wake list has room for (64 KiB).
    static let keptWakeListCapacity = 8_192

    private let state = Mutex(State())
    /// Deadlines are kept as whole nanoseconds ("ticks") from here.
    private let origin = ContinuousClock.now

    init() {}

    deinit {
        state.withLock { $0.timer?.cancel() }
    }

    /// Suspends until `deadline` (or up to `quantum + coalescing` after); throws `CancellationError`
    /// as soon as the task is cancelled.
    @inline(__always)
    func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await sleep(untilTick: due(at: deadline))
    }

    /// The tick (see `ticks`) at which a sleep until `deadline` ends. Synchronous, and
    /// `sleep(untilTick:)` takes its result, so that async callers keep an `Int64` in their
    /// frames rather than a `ContinuousClock.Instant`: a resilient type, each one is its
    /// own allocation in every sleeping task (mandrill-bench `inflight`, bytes per message).
    @inline(never)
    func due(at deadline: ContinuousClock.Instant) -> Int64 {
        // Rounded up: the timer compares against the present rounded down, so a sleep
        // never ends before its deadline.
        Self.quantized(Self.ticks(origin.duration(to: deadline), roundingUp: true))
    }

    /// The tick at which a sleep of `duration` from now ends; nil when it is not positive.
    @inline(never)
    func due(after duration: Duration) -> Int64? {
        duration > .zero ? due(at: ContinuousClock.now.advanced(by: duration)) : nil
    }

    /// The tick at which a sleep until `deadline` ends; nil when the deadline has passed.
    @inline(never)
    func due(ifAhead deadline: ContinuousClock.Instant) -> Int64? {
        deadline > ContinuousClock.now ? due(at: deadline) : nil
    }

    /// Suspends until tick `due` (from `due(at:)` or `due(after:)`). Inlined into its
    /// caller: one async frame less per sleeper.
    @inline(__always)
    func sleep(untilTick due: Int64) async throws {
        // Reserved first, so that the cancellation handler knows the slot whenever it runs.
        let ticket = state.withLock { $0.sleepers.reserve() }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let waiting = state.withLock { state in
                    guard state.sleepers.wait(ticket, continuation) else { return false }
                    state.lastEntry &+= 1
                    state.heap.insert(.init(deadline: due, id: state.lastEntry, value: ticket))
                    armIfEarlier(&state)
                    return true
                }
                // Cancelled before it waited: the handler found no continuation to end.
                if !waiting { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            cancel(ticket)
        }
    }

    /// Sleepers registered and not yet woken or cancelled, and heap entries (live and
    /// cancelled ones not yet dropped).
    var counts: (sleepers: Int, entries: Int) { state.withLock { ($0.sleepers.waiting, $0.heap.count) } }

    private func cancel(_ ticket: Sleepers.Ticket) {
        let continuation = state.withLock { state in
            let continuation = state.sleepers.cancel(ticket)
            // Cancelled entries stay in the heap until their deadline; drop them in bulk
            // when they outnumber the live ones.
            if state.heap.count > 2 * state.sleepers.waiting + 1_024 {
                let sleepers = state.sleepers
                state.heap.retain { sleepers.isWaiting($0.value) }
            }
            return continuation
        }
        continuation?.resume(throwing: CancellationError())
    }

    /// The timer's handler: wakes every sleeper whose deadline has passed.
    ///
    /// The list of due continuations is kept from one firing to the next: grown afresh
    /// each time, its larger sizes are requests glibc serves from the large bins after
    /// consolidating every freed small chunk — a fifth of the CPU in the first tenth of a
    /// second of settling 100,000 sleepers (mandrill-bench `inflight`).
    private func fire() {
        var due = state.withLock { state -> [UnsafeContinuation<Void, any Error>] in
            let now = Self.ticks(origin.duration(to: .now), roundingUp: false)
            var due: [UnsafeContinuation<Void, any Error>] = []
            swap(&due, &state.wakeList)
            while let first = state.heap.first, first.deadline <= now {
                state.heap.removeFirst()
                if let continuation = state.sleepers.wake(first.value) {
                    due.append(continuation)
                }
            }
            state.armedFor = nil
            armIfEarlier(&state)
            return due
        }
        for continuation in due {
            continuation.resume()
        }
        guard due.capacity <= Self.keptWakeListCapacity else { return }
        due.removeAll(keepingCapacity: true)
        state.withLock { $0.wakeList = due }
    }

    /// Sets the timer for the earliest live deadline when it is not already set for it
    /// or sooner.
    private func armIfEarlier(_ state: inout State) {
        while let first = state.heap.first, !state.sleepers.isWaiting(first.value) {
            state.heap.removeFirst()
        }
        guard let earliest = state.heap.first?.deadline else { return }
        if let armedFor = state.armedFor, armedFor <= earliest { return }
        state.armedFor = earliest
        let timer = state.timer ?? makeTimer(&state)
        // Saturates both ways: a deadline centuries away, or one saturated into the past.
        let now = Self.ticks(origin.duration(to: .now), roundingUp: false)
        let (ahead, underflow) = earliest.subtractingReportingOverflow(now)
        let wait = (underflow ? 0 : max(0, ahead)).addingReportingOverflow(Self.coalescingTicks)
        timer.schedule(deadline: .now() + .nanoseconds(wait.overflow ? .max : Int(wait.partialValue)), leeway: .never)
    }

    private func makeTimer(_ state: inout State) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "mandrill.sleep-queue"))
        timer.setEventHandler { [weak self] in self?.fire() }
        timer.resume()
        state.timer = timer
        return timer
    }

    static let coalescingTicks = ticks(coalescing, roundingUp: true)
    static let quantumTicks = ticks(quantum, roundingUp: true)

    /// `ticks` rounded up (towards +infinity) to a multiple of `quantum`, saturating at
    /// `Int64.max`.
    static func quantized(_ ticks: Int64) -> Int64 {
        let remainder = ticks % quantumTicks
        if remainder == 0 { return ticks }
        // Below zero the remainder is negative: dropping it rounds up.
        if remainder < 0 { return ticks - remainder }
        let (rounded, overflow) = ticks.addingReportingOverflow(quantumTicks - remainder)
        return overflow ? .max : rounded
    }

    /// `duration` in whole nanoseconds, rounded up or down, saturating at the ends of
    /// `Int64` for deadlines centuries away.
    static func ticks(_ duration: Duration, roundingUp: Bool) -> Int64 {
        let (seconds, attoseconds) = duration.components
        var nanoseconds = attoseconds / 1_000_000_000
        let remainder = attoseconds % 1_000_000_000
        if roundingUp && remainder > 0 { nanoseconds += 1 }
        if !roundingUp && remainder < 0 { nanoseconds -= 1 }
        let whole = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = whole.partialValue.addingReportingOverflow(nanoseconds)
        guard !whole.overflow, !total.overflow else { return seconds < 0 ? .min : .max }
        return total.partialValue
    }
}
