import Synchronization

/// Counts latencies in log-linear microsecond buckets (exact below 128 µs, then within
/// 1/64 ≈ 1.6 %), so recording from many tasks at once costs one relaxed atomic add and
/// no allocation, and memory stays the same whatever the message count.
///
/// Sendable: every bucket is an atomic.
final class LatencyHistogram: Sendable {
    private final class Bucket: Sendable {
        let count = Atomic<Int>(0)
    }

    /// Values below this are their own bucket.
    private static let linearLimit: UInt64 = 128
    /// Buckets per power of two above the linear range.
    private static let subBuckets: UInt64 = 64
    /// Largest exponent kept (about 2^41 µs, 25 days); larger values are clamped.
    private static let maxShift: UInt64 = 34
    private static let bucketCount = Int(linearLimit + maxShift * subBuckets)

    private let buckets: [Bucket]

    /// An empty histogram.
    init() {
        buckets = (0..<Self.bucketCount).map { _ in Bucket() }
    }

    /// Records one latency in microseconds.
    @inline(__always)
    func record(microseconds: UInt64) {
        buckets[Self.index(of: microseconds)].count.wrappingAdd(1, ordering: .relaxed)
    }

    /// Records one latency.
    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return record(microseconds: 0) }
        record(microseconds: UInt64(seconds) &* 1_000_000 &+ UInt64(attoseconds / 1_000_000_000_000))
    }

    /// How many latencies were recorded.
    var count: Int { buckets.reduce(0) { $0 + $1.count.load(ordering: .relaxed) } }

    /// The latency at quantile `q` (0…1) in milliseconds (bucket midpoint), or nil when empty.
    func percentileMilliseconds(_ q: Double) -> Double? {
        let counts = buckets.map { $0.count.load(ordering: .relaxed) }
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Double(Self.midpoint(of: index)) / 1000 }
        }
        return Double(Self.midpoint(of: counts.count - 1)) / 1000
    }

    static func index(of microseconds: UInt64) -> Int {
        if microseconds < linearLimit { return Int(microseconds) }
        let highestBit = UInt64(63 - microseconds.leadingZeroBitCount)
        let shift = min(highestBit - 6, maxShift)
        let top = min(microseconds >> shift, 2 * subBuckets - 1)
        return Int(linearLimit + (shift - 1) * subBuckets + (top - subBuckets))
    }

    /// The middle of bucket `index`, in microseconds.
    static func midpoint(of index: Int) -> UInt64 {
        let index = UInt64(index)
        if index < linearLimit { return index }
        let shift = (index - linearLimit) / subBuckets + 1
        let top = (index - linearLimit) % subBuckets + subBuckets
        return (top << shift) + (1 << shift) / 2
    }
}
