import Synchronization

/// A distribution of durations in seconds, counted into fixed buckets without a lock.
///
/// Sendable: per-bucket counts are `Counter`s and the sum is an `Atomic` bit pattern.
/// Buckets are stored non-cumulatively so `observe` touches one bucket; `snapshot()`
/// accumulates them, which keeps `+Inf` equal to the count in every rendering.
public final class Histogram: Sendable {
    /// Finite bucket upper bounds, strictly ascending; `+Inf` is implicit.
    public let upperBounds: [Double]
    // One more than `upperBounds`: the last slot counts observations above every bound.
    private let bucketCounts: [Counter]
    private let sumBits = Atomic<UInt64>(Double.zero.bitPattern)

    /// Creates a histogram with the given bucket upper bounds (ascending, finite; a
    /// trailing `+Inf` is accepted and dropped).
    public init(buckets: [Double]) {
        let bounds = buckets.last == .infinity ? Array(buckets.dropLast()) : buckets
        precondition(bounds.allSatisfy(\.isFinite), "histogram bounds must be finite: \(buckets)")
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 },
                     "histogram bounds must be strictly ascending: \(buckets)")
        upperBounds = bounds
        bucketCounts = (0...bounds.count).map { _ in Counter() }
    }

    /// Records one observation, in seconds.
    public func observe(_ seconds: Double) {
        bucketCounts[bucketIndex(for: seconds)].increment()
        var current = sumBits.load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: current) + seconds).bitPattern
            let (exchanged, original) = sumBits.compareExchange(
                expected: current, desired: desired, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Records a `Duration` as seconds.
    public func observe(_ duration: Duration) {
        let (whole, attoseconds) = duration.components
        observe(Double(whole) + Double(attoseconds) / 1e18)
    }

    /// Number of observations so far.
    public var count: Int {
        bucketCounts.reduce(0) { $0 + $1.value }
    }

    /// Sum of all observations, in seconds.
    public var sum: Double {
        Double(bitPattern: sumBits.load(ordering: .relaxed))
    }

    /// A consistent-enough copy for rendering: cumulative counts per bound plus `+Inf`.
    public func snapshot() -> HistogramSnapshot {
        var running = 0
        var cumulative: [Int] = []
        cumulative.reserveCapacity(bucketCounts.count)
        for bucket in bucketCounts {
            running += bucket.value
            cumulative.append(running)
        }
        return HistogramSnapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, sum: sum)
    }

    private func bucketIndex(for value: Double) -> Int {
        // Binary search for the first bound >= value; NaN and values above all bounds land in +Inf.
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Cumulative bucket counts of a `Histogram` at one moment. Sendable value type.
public struct HistogramSnapshot: Sendable, Equatable {
    /// Finite upper bounds, ascending.
    public let upperBounds: [Double]
    /// Cumulative counts: one per bound, then the `+Inf` bucket (equal to `count`).
    public let cumulativeCounts: [Int]
    /// Sum of observations, in seconds.
    public let sum: Double

    /// Total observations (the `+Inf` bucket).
    public var count: Int { cumulativeCounts.last ?? 0 }
}
