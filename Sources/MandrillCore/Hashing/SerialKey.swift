/// A key taken from a counter — a sleeper's in the `SleepQueue` — as a dictionary key
/// hashed by `HashMixer` rather than a `Hasher`: with 100,000 restarts sleeping
/// (mandrill-bench `inflight`) `Hasher` was ~1% of the instructions.
struct SerialKey: Hashable, Comparable, Sendable {
    let value: UInt64

    init(_ value: UInt64) {
        self.value = value
    }

    static func < (lhs: SerialKey, rhs: SerialKey) -> Bool { lhs.value < rhs.value }

    func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }

    /// What `Dictionary` and `Set` call for a key on its own (see `HashMixer`).
    ///
    /// Mixed, not the counter value itself: consecutive live keys would sit in one run of
    /// buckets, and a linear-probing table removing from the front of that run moves
    /// the rest of it each time (tried: mandrill-bench `inflight` took 9 s instead of 1.4).
    func _rawHashValue(seed: Int) -> Int {
        HashMixer.mix(Int(truncatingIfNeeded: value), seed: seed)
    }
}
