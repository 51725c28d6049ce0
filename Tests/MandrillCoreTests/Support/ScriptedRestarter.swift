import Synchronization
@testable import MandrillCore

/// A restarter whose every call runs a script the test provides, and which reports each
/// call's start on `started` so a test can await it.
final class ScriptedRestarter: HostRestarter {
    typealias Script = @Sendable (RestartRequest, Int) async throws -> Void

    private let script: Script
    private let calls = Mutex(0)
    private let running = Mutex((now: 0, peak: 0))
    let started: AsyncStream<RestartRequest>
    private let startedContinuation: AsyncStream<RestartRequest>.Continuation

    init(_ script: @escaping Script = { _, _ in }) {
        self.script = script
        (started, startedContinuation) = AsyncStream.makeStream(of: RestartRequest.self)
    }

    func restart(_ request: RestartRequest) async throws {
        let index = calls.withLock { count -> Int in
            count += 1
            return count
        }
        running.withLock { state in
            state.now += 1
            state.peak = max(state.peak, state.now)
        }
        defer { running.withLock { $0.now -= 1 } }
        startedContinuation.yield(request)
        try await script(request, index)
    }

    var callCount: Int { calls.withLock { $0 } }
    var peakConcurrency: Int { running.withLock { $0.peak } }
}

/// A one-way latch tests open to release blocked work; waiting honours cancellation.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [Int: CheckedContinuation<Void, any Error>], next: Int)>((false, [:], 0))

    init() {}

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let openNow = state.withLock { state -> Bool in
                    if state.open { return true }
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if openNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

extension AsyncStream {
    /// The next `count` elements, failing the test if they do not arrive within `timeout`.
    func take(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Element] where Element: Sendable {
        try await withThrowingTaskGroup(of: [Element]?.self) { group in
            group.addTask {
                var out: [Element] = []
                for await element in self {
                    out.append(element)
                    if out.count == count { break }
                }
                return out
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let elements = first, elements.count == count else { throw EventuallyTimeout() }
            return elements
        }
    }
}

extension AsyncStream where Element == [Delivery] {
    /// The deliveries of the next batches until at least `count` arrived (all of them, so a
    /// test sees an unexpected extra one), failing the test after `timeout`.
    func takeDeliveries(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Delivery] {
        var taken: [Delivery] = []
        let deadline = ContinuousClock.now + timeout
        while taken.count < count {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero, let batch = try await take(1, timeout: remaining).first else {
                throw EventuallyTimeout()
            }
            taken += batch
        }
        return taken
    }
}
