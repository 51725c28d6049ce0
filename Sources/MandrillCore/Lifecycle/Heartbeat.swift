import Synchronization

/// When the consumer side last showed progress (a finished message, a lease batch, an
/// idle loop turn), for the systemd watchdog: a wedged consumer stops beating, pings
/// stop, and systemd restarts the service.
public final class Heartbeat: Sendable {
    private let clock: any MandrillClock
    private let origin: ContinuousClock.Instant
    private let lastBeat: Atomic<Int64>

    /// A heartbeat that counts as beaten now.
    public init(clock: any MandrillClock) {
        self.clock = clock
        origin = clock.now
        lastBeat = Atomic(0)
    }

    /// Records progress.
    public func beat() {
        lastBeat.store(Self.nanoseconds(origin.duration(to: clock.now)), ordering: .relaxed)
    }

    /// Time since the last beat.
    public var age: Duration {
        origin.duration(to: clock.now) - .nanoseconds(lastBeat.load(ordering: .relaxed))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
