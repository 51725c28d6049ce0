import Synchronization

/// Pretends to restart hosts: latency uniform in `[minLatency, maxLatency]`, a share of
/// retryable and permanent failures, all from a seeded generator. The safe default.
public final class SimulatedRestarter: HostRestarter {
    private let settings: SimulatedSettings
    private let clock: any MandrillClock
    private let random: Mutex<SplitMix64>

    /// Creates a simulated restarter.
    public init(settings: SimulatedSettings, clock: any MandrillClock = SystemClock()) {
        self.settings = settings
        self.clock = clock
        self.random = Mutex(SplitMix64(seed: settings.seed))
    }

    // Inlined into the `HostRestarter` witness: one async frame less per restart in flight.
    @inline(__always)
    public func restart(_ request: RestartRequest) async throws {
        let (latencyMs, roll) = random.withLock { generator -> (Int, Double) in
            let latency = settings.maxLatencyMs > settings.minLatencyMs
                ? Int.random(in: settings.minLatencyMs...settings.maxLatencyMs, using: &generator)
                : settings.minLatencyMs
            return (latency, Double.random(in: 0..<1, using: &generator))
        }
        if latencyMs > 0 {
            // One clock reading (`SystemClock.sleep(for:)`), and no frame of the protocol
            // extension's default held by every restart in flight.
            try await clock.sleep(for: .milliseconds(latencyMs))
        } else {
            try Task.checkCancellation()
        }
        if roll < settings.permanentFailureRate {
            throw RestartError(.permanent, "simulated permanent failure restarting \(request.hostname)")
        }
        if roll < settings.permanentFailureRate + settings.failureRate {
            throw RestartError(.retryable, "simulated failure restarting \(request.hostname)")
        }
    }
}
