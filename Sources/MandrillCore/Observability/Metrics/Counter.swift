import Synchronization

/// A monotonically increasing count, safe to bump from any thread without a lock.
///
/// Sendable: the only state is one `Atomic`. Handles come from `MetricsRegistry`, which
/// renders them; a free-standing counter is never exported.
public final class Counter: Sendable {
    private let storage = Atomic<Int>(0)

    /// Creates a counter at zero; normally obtained from `MetricsRegistry.counter(_:help:labels:)`.
    public init() {}

    /// Adds one.
    public func increment() {
        increment(by: 1)
    }

    /// Adds `amount`, which must not be negative (counters never go down).
    public func increment(by amount: Int) {
        precondition(amount >= 0, "a counter cannot decrease (amount \(amount))")
        // Relaxed is enough: nothing else is ordered against a metric value.
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current count.
    public var value: Int {
        storage.load(ordering: .relaxed)
    }
}
