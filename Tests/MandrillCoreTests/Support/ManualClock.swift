import Synchronization
@testable import MandrillCore

/// A clock that moves only when the test says so. Sleepers are resumed by `advance`;
/// `sleepers` lets a test await "someone is now sleeping" instead of sleeping itself.
final class ManualClock: MandrillClock {
    private struct Sleeper {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let base = ContinuousClock.now
    private let wallBase: Double
    private let state = Mutex(State())
    /// Yields the number of sleepers each time a new sleep begins.
    let sleeps: AsyncStream<Int>
    private let sleepsContinuation: AsyncStream<Int>.Continuation

    init(wallTime: Double = 1_800_000_000) {
        wallBase = wallTime
        (sleeps, sleepsContinuation) = AsyncStream.makeStream(of: Int.self)
    }

    var now: ContinuousClock.Instant { base.advanced(by: state.withLock { $0.offset }) }

    var wallTime: Double { wallBase + state.withLock { $0.offset }.seconds }

    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, count) = state.withLock { state -> (Bool, Int) in
                    if Task.isCancelled || deadline <= base.advanced(by: state.offset) { return (true, state.sleepers.count) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (false, state.sleepers.count)
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                } else {
                    sleepsContinuation.yield(count)
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.offset += duration
            let now = base.advanced(by: state.offset)
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (with a real-time bound) until at least `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int, timeout: Duration = .seconds(5)) async throws {
        try await eventually(timeout: timeout) { self.sleeperCount >= count }
    }
}

/// Polls `condition` on the real clock until it holds, failing after `timeout`. For
/// conditions reached by other tasks; it yields between checks rather than sleeping long.
func eventually(
    timeout: Duration = .seconds(5), _ condition: @Sendable () async -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(2))
    }
    Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
    throw EventuallyTimeout()
}

struct EventuallyTimeout: Error {}

import Testing
