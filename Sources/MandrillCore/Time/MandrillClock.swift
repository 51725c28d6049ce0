import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's source of time: a monotonic clock for deadlines and sleeps, and a wall
/// clock for records and blackout windows. Tests inject a manual clock.
public protocol MandrillClock: Sendable {
    /// Monotonic now.
    var now: ContinuousClock.Instant { get }
    /// Wall-clock now, in seconds since the Unix epoch.
    var wallTime: Double { get }
    /// Suspends until `deadline`; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    /// A requirement, with a default, so that `SystemClock` reads the clock once.
    func sleep(for duration: Duration) async throws
}

extension MandrillClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration))
    }
}

/// The real clocks: `ContinuousClock` and the system's wall clock. Sleeps on one
/// `SystemClock` (and its copies) share one timer; see `SleepQueue`.
public struct SystemClock: MandrillClock {
    private let sleeps = SleepQueue()

    /// Creates the system clock.
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public var wallTime: Double { Self.wallTime() }

    /// Seconds since the Unix epoch from `clock_gettime`: read twice per message (its
    /// records), and Foundation's `Date` costs more for the same reading.
    public static func wallTime() -> Double {
        #if canImport(Glibc)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        #else
        return Date().timeIntervalSince1970
        #endif
    }

    // Both sleeps hand the queue a tick computed synchronously: no `ContinuousClock.Instant`
    // lives in these frames (see `SleepQueue.due(at:)`).

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        guard let due = sleeps.due(ifAhead: deadline) else { return try Task.checkCancellation() }
        try await sleeps.sleep(untilTick: due)
    }

    /// One clock reading per sleep: a positive duration always ends in the future.
    /// Inlined into the `MandrillClock` witness: one async frame less per sleeper.
    @inline(__always)
    public func sleep(for duration: Duration) async throws {
        guard let due = sleeps.due(after: duration) else { return try Task.checkCancellation() }
        try await sleeps.sleep(untilTick: due)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        // Most records carry no duration; `components` divides a 128-bit integer.
        if self == .zero { return 0 }
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// A duration from seconds given as a `Double` (negative values become zero).
    public static func seconds(double value: Double) -> Duration {
        .nanoseconds(Int64((max(0, value) * 1e9).rounded()))
    }
}
