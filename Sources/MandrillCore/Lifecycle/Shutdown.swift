import Synchronization

/// The daemon's shutdown state: running, then draining (intake stopped, in-flight work
/// finishing, deadline set), then forced (in-flight work cancelled). Graceful shutdown and
/// cancellation are two steps; the second follows the first at the drain deadline or on a
/// second signal.
public final class Shutdown: Sendable {
    /// Why shutdown began.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case signal(String)
        case maxMessages(Int)
        case duration(Double)
        case fatal(String)
        case drainDeadline

        public var description: String {
            switch self {
            case .signal(let name): "signal \(name)"
            case .maxMessages(let count): "max messages reached (\(count))"
            case .duration(let seconds): "duration elapsed (\(seconds)s)"
            case .fatal(let error): "fatal error: \(error)"
            case .drainDeadline: "drain deadline"
            }
        }
    }

    private struct State {
        var phase = 0  // 0 running, 1 draining, 2 forced
        var reason: Reason?
        var waiters: [(id: Int, phase: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiterID = 0

        /// Takes out the waiters satisfied by `phase`.
        mutating func takeWaiters(upTo phase: Int) -> [CheckedContinuation<Void, Never>] {
            let ready = waiters.filter { $0.phase <= phase }.map(\.continuation)
            waiters.removeAll { $0.phase <= phase }
            return ready
        }
    }

    private let state = Mutex(State())
    // Read on every delivery; kept apart from the lock.
    private let phase = Atomic<Int>(0)

    /// A running daemon's shutdown state.
    public init() {}

    /// Begins a graceful shutdown; false when one had begun already.
    @discardableResult
    public func begin(_ reason: Reason) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
            guard state.phase == 0 else { return nil }
            state.phase = 1
            state.reason = reason
            return state.takeWaiters(upTo: 1)
        }
        guard let waiters else { return false }
        phase.store(1, ordering: .releasing)
        for waiter in waiters { waiter.resume() }
        return true
    }

    /// Skips the rest of the drain: in-flight work is cancelled. Begins shutdown if needed.
    public func force(_ reason: Reason) {
        begin(reason)
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.phase < 2 else { return [] }
            state.phase = 2
            return state.takeWaiters(upTo: 2)
        }
        phase.store(2, ordering: .releasing)
        for waiter in waiters { waiter.resume() }
    }

    /// Whether shutdown has begun (intake must stop).
    public var isDraining: Bool { phase.load(ordering: .acquiring) >= 1 }

    /// Whether in-flight work is being cancelled.
    public var isForced: Bool { phase.load(ordering: .acquiring) >= 2 }

    /// Why shutdown began, if it has.
    public var reason: Reason? { state.withLock { $0.reason } }

    /// Returns once shutdown has begun (or the task is cancelled).
    public func waitUntilDraining() async {
        await wait(minimumPhase: 1)
    }

    /// Returns once in-flight work is to be cancelled (or the task is cancelled).
    public func waitUntilForced() async {
        await wait(minimumPhase: 2)
    }

    private func wait(minimumPhase: Int) async {
        // A waiter is resumed exactly once: by the phase change or by cancellation,
        // whichever takes it out of the list first.
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.phase >= minimumPhase || Task.isCancelled { return true }
                    state.waiters.append((id, minimumPhase, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let removed = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            removed?.resume()
        }
    }
}
