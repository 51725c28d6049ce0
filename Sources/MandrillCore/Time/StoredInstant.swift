/// A `ContinuousClock.Instant` kept as a fixed-layout value: the exact `Duration` since a
/// process-wide origin.
///
/// `ContinuousClock.Instant` is resilient: this module does not know its layout, so every
/// struct that stores one — and every array, dictionary and lock holding such structs —
/// is copied, moved and destroyed through value witnesses instead of inline code. The
/// per-message types (`Delivery`, the broker's pending entries and leases, the in-flight
/// message's state) store this instead and convert at their edges; the round trip is
/// exact (mandrill-bench `throughput`, instructions per message).
struct StoredInstant: Sendable, Hashable, Comparable {
    /// The first reading taken by any `StoredInstant`.
    private static let origin = ContinuousClock.now

    /// Time from `origin` (negative for instants before it).
    let sinceOrigin: Duration

    init(_ instant: ContinuousClock.Instant) {
        sinceOrigin = Self.origin.duration(to: instant)
    }

    /// The instant this value stands for.
    var instant: ContinuousClock.Instant { Self.origin.advanced(by: sinceOrigin) }

    /// Time from this instant to `later` (negative when `later` is earlier).
    func duration(to later: StoredInstant) -> Duration { later.sinceOrigin - sinceOrigin }

    static func < (lhs: StoredInstant, rhs: StoredInstant) -> Bool { lhs.sinceOrigin < rhs.sinceOrigin }
}
