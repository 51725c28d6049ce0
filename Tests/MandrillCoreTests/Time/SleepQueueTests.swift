import Synchronization
import Testing
@testable import MandrillCore

/// The real timer behind `SystemClock`: these tests wait on real time, but only for
/// milliseconds, and assert order and promptness of cancellation, never durations.
@Suite(.timeLimit(.minutes(1)))
struct SleepQueueTests {
    @Test func aSleepNeverEndsBeforeItsDeadline() async throws {
        let sleeps = SleepQueue()
        let deadlines = (1...20).map { ContinuousClock.now.advanced(by: .milliseconds($0)) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for deadline in deadlines {
                group.addTask {
                    try await sleeps.sleep(until: deadline)
                    return ContinuousClock.now >= deadline
                }
            }
            for try await onTime in group {
                #expect(onTime)
            }
        }
        #expect(sleeps.counts.sleepers == 0)
    }

    @Test func aSleeperAddedWithAnEarlierDeadlineIsNotHeldBackByALaterOne() async throws {
        // The timer is armed for an hour when the short sleep arrives: it must re-arm.
        let sleeps = SleepQueue()
        let long = Task { try await sleeps.sleep(until: .now.advanced(by: .seconds(3600))) }
        try await eventually { sleeps.counts.sleepers == 1 }
        try await sleeps.sleep(until: .now.advanced(by: .milliseconds(5)))
        #expect(sleeps.counts.sleepers == 1)
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
    }

    @Test func cancellingASleeperEndsItAtOnceWithCancellationError() async throws {
        let sleeps = SleepQueue()
        let sleeper = Task { try await sleeps.sleep(until: .now.advanced(by: .seconds(3600))) }
        try await eventually { sleeps.counts.sleepers == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(sleeps.counts.sleepers == 0)
    }

    @Test func aTaskCancelledBeforeItSleepsDoesNotWait() async throws {
        let sleeps = SleepQueue()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await sleeps.sleep(until: .now.advanced(by: .seconds(3600)))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(sleeps.counts.sleepers == 0)
    }

    @Test func aDeadlineCenturiesAwayWaitsUntilCancelledWithoutOverflowing() async throws {
        #expect(SleepQueue.ticks(.seconds(Int64.max / 1_000_000_000), roundingUp: true) == Int64.max - Int64.max % 1_000_000_000)
        #expect(SleepQueue.ticks(.seconds(Int64.max / 1_000_000_000) + .nanoseconds(999_999_999), roundingUp: true) == .max)
        #expect(SleepQueue.ticks(.seconds(Int64.max), roundingUp: false) == .max)
        #expect(SleepQueue.ticks(.seconds(-Int64.max), roundingUp: true) == .min)
        let sleeps = SleepQueue()
        // A deadline saturated into the past wakes at once instead of overflowing the wait.
        try await sleeps.sleep(until: ContinuousClock.now.advanced(by: .seconds(-Int64.max / 2)))
        let sleeper = Task { try await sleeps.sleep(until: .now.advanced(by: .seconds(Int64.max / 4))) }
        try await eventually { sleeps.counts.sleepers == 1 }
        // A short sleep behind it is not held back by the saturated timer.
        try await sleeps.sleep(until: .now.advanced(by: .milliseconds(2)))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    @Test func deadlinesRoundUpToTheQuantumAndSaturate() {
        let quantum = SleepQueue.quantumTicks
        #expect(SleepQueue.quantized(0) == 0)
        #expect(SleepQueue.quantized(1) == quantum)
        #expect(SleepQueue.quantized(quantum) == quantum)
        #expect(SleepQueue.quantized(quantum + 1) == 2 * quantum)
        #expect(SleepQueue.quantized(-1) == 0)
        #expect(SleepQueue.quantized(-quantum - 1) == -quantum)
        #expect(SleepQueue.quantized(.max) == .max)
        // Rounded up (towards zero) from the most negative tick.
        #expect(SleepQueue.quantized(.min) == .min - .min % quantum)
    }

    @Test func deadlinesRoundUpAndThePresentRoundsDownToWholeNanoseconds() {
        let half = Duration.nanoseconds(7) + .seconds(0.5e-9)
        #expect(SleepQueue.ticks(half, roundingUp: true) == 8)
        #expect(SleepQueue.ticks(half, roundingUp: false) == 7)
        #expect(SleepQueue.ticks(.zero - half, roundingUp: true) == -7)
        #expect(SleepQueue.ticks(.zero - half, roundingUp: false) == -8)
        #expect(SleepQueue.ticks(.seconds(2) + .nanoseconds(3), roundingUp: true) == 2_000_000_003)
    }

    @Test func wavesLargerAndSmallerThanTheKeptWakeListAllWake() async throws {
        // The list `fire` collects due sleepers in is kept between firings unless a wave
        // outgrew it: a wave too large to keep, then small ones reusing a kept list.
        let sleeps = SleepQueue()
        for size in [SleepQueue.keptWakeListCapacity + 500, 100, 100, 3] {
            let deadline = ContinuousClock.now.advanced(by: .milliseconds(5))
            let woken = try await withThrowingTaskGroup(of: Bool.self, returning: Int.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        try await sleeps.sleep(until: deadline)
                        return ContinuousClock.now >= deadline
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(woken == size)
            #expect(sleeps.counts.sleepers == 0)
        }
    }

    @Test func cancelledSleepersDoNotPileUpInTheHeap() async throws {
        let sleeps = SleepQueue()
        let total = 3_000
        let sleepers = (0..<total).map { _ in
            Task { try await sleeps.sleep(until: .now.advanced(by: .seconds(3600))) }
        }
        try await eventually { sleeps.counts.sleepers == total }
        for sleeper in sleepers {
            sleeper.cancel()
            _ = try? await sleeper.value
        }
        let counts = sleeps.counts
        #expect(counts.sleepers == 0)
        // Dropped in bulk once they outnumber the live ones by the slack.
        #expect(counts.entries <= 1_024)
    }

    @Test func dueTicksAreQuantizedReadTheClockOnceAndSkipPastDeadlines() {
        let sleeps = SleepQueue()
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(5) + .nanoseconds(1))
        let due = sleeps.due(at: deadline)
        #expect(due % SleepQueue.quantumTicks == 0)
        // Rounded up, consistently: a deadline one quantum later is due one quantum later.
        #expect(sleeps.due(at: deadline.advanced(by: SleepQueue.quantum)) == due + SleepQueue.quantumTicks)
        // From now: between the dues of the readings taken before and after.
        let before = ContinuousClock.now
        let ahead = sleeps.due(after: .milliseconds(5))
        let after = ContinuousClock.now
        #expect(ahead.map { $0 >= sleeps.due(at: before.advanced(by: .milliseconds(5))) } == true)
        #expect(ahead.map { $0 <= sleeps.due(at: after.advanced(by: .milliseconds(5))) } == true)
        // Nothing to wait for: not positive, or already passed.
        #expect(sleeps.due(after: .zero) == nil)
        #expect(sleeps.due(after: .milliseconds(-5)) == nil)
        #expect(sleeps.due(ifAhead: before) == nil)
        #expect(sleeps.due(ifAhead: deadline.advanced(by: .seconds(60))) == sleeps.due(at: deadline.advanced(by: .seconds(60))))
    }

    @Test func systemClockSleepsThroughItsQueueAndHonoursCancellation() async throws {
        let clock = SystemClock()
        let start = clock.now
        try await clock.sleep(for: .milliseconds(3))
        #expect(clock.now >= start.advanced(by: .milliseconds(3)))
        // A deadline already passed returns at once, but still reports cancellation.
        try await clock.sleep(until: start)
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: start)
        }
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        // So does a duration of zero or less.
        try await clock.sleep(for: .zero)
        try await clock.sleep(for: .milliseconds(-5))
        let cancelledForZero = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .zero)
        }
        await #expect(throws: CancellationError.self) { try await cancelledForZero.value }
        // A positive duration honours cancellation (whether it comes before or while the sleep
        // waits; `cancellingASleeperEndsItAtOnceWithCancellationError` waits first for sure).
        let waiting = Task { try await clock.sleep(for: .seconds(3600)) }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
