/// The identity of one restart request, stable across redeliveries.
///
/// In-process ids look like `m-000000000042`; Redis Streams ids look like `1700000000000-0`.
public struct MessageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id as the broker spells it.
    public let rawValue: String
    /// The id's hash, taken once with the process's seeded `Hasher`: every message's id is
    /// hashed in half a dozen tables (leases, in-flight, open, finished), and each table
    /// then mixes in one word instead of hashing the string again, also when it grows.
    private let hash: Int

    /// Wraps a broker-assigned id.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
        var hasher = Hasher()
        hasher.combine(rawValue)
        self.hash = hasher.finalize()
    }

    public var description: String { rawValue }

    public static func == (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.hash == rhs.hash && lhs.rawValue == rhs.rawValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// What `Dictionary` and `Set` call instead of `hash(into:)` for a key on its own: the
    /// cached hash mixed with the table's seed by a multiply–xorshift finaliser, without
    /// setting up and finalising a `Hasher` for one word (that was ~3% of
    /// mandrill-bench `inflight`'s intake). Equal ids still hash equally: both paths are
    /// functions of the cached hash alone.
    public func _rawHashValue(seed: Int) -> Int {
        HashMixer.mix(hash, seed: seed)
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
