import Synchronization

/// A value that goes up and down (in-flight messages, build info), stored lock-free.
///
/// Sendable: the only state is one `Atomic` holding the `Double`'s bit pattern.
public final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(Double.zero.bitPattern)

    /// Creates a gauge at zero; normally obtained from `MetricsRegistry.gauge(_:help:labels:)`.
    public init() {}

    /// Replaces the value.
    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    /// Adds `amount` (default 1).
    public func increment(by amount: Double = 1) {
        // No atomic floating-point add exists, so retry until no other writer slipped in.
        var current = bits.load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(
                expected: current, desired: desired, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Subtracts `amount` (default 1).
    public func decrement(by amount: Double = 1) {
        increment(by: -amount)
    }

    /// The current value.
    public var value: Double {
        Double(bitPattern: bits.load(ordering: .relaxed))
    }
}
