/// `safety.brake`: counts messages that ended failed and trips when `failures` of them
/// fall within `windowSeconds`.
///
/// Sendable: a value; the gate keeps it under its lock.
struct FailureBrake: Sendable {
    private(set) var settings: BrakeSettings
    private var failures: [ContinuousClock.Instant] = []

    init(_ settings: BrakeSettings) {
        self.settings = settings
    }

    /// Counts a failure; returns the reason (`20 failures in 60s`) when this one trips
    /// the brake. Tripping starts a fresh count, so a resumed daemon needs a new run of
    /// failures to trip again.
    mutating func recordFailure(now: ContinuousClock.Instant) -> String? {
        guard settings.failures > 0 else { return nil }
        let window = Duration.seconds(double: settings.windowSeconds)
        failures.removeAll { $0.duration(to: now) >= window }
        failures.append(now)
        guard failures.count >= settings.failures else { return nil }
        failures.removeAll()
        return "\(settings.failures) failures in \(window.secondsText)"
    }

    /// Adopts new settings, keeping the failures counted so far.
    mutating func reconfigure(_ settings: BrakeSettings) {
        self.settings = settings
    }
}
