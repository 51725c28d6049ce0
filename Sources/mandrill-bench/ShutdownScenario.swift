import MandrillCore
import Synchronization

/// Graceful shutdown under load: N deliveries all mid-restart (restarts take a minute),
/// then what the daemon does on SIGTERM — begin shutdown, stop intake, force at the 1 s
/// drain deadline — and the time from the signal until the subscription and journal are
/// closed. Every received message must end acked, nacked, dead-lettered or abandoned.
enum ShutdownScenario {
    static let restartLatencyMs = 60_000
    static let drainDeadline = Duration.seconds(1)
    /// Longest wait for every message to be mid-restart.
    static let loadDeadline = Duration.seconds(120)

    private struct Signal: Sendable {
        var at: ContinuousClock.Instant
        var inFlight: Int
        var allRestarting: Bool
    }

    static func run(_ options: BenchOptions) async throws -> BenchLine {
        let count = options.messageCount(for: .shutdown)
        let directory = try BenchStateDirectory()
        defer { directory.remove() }
        let store = try await directory.openJournal(fsync: .batch, maxInFlight: count)
        let feed = InProcessFeed(messages: count, maxInFlight: count)
        let rig = feed.rig(store: store, settings: .init(
            maxInFlight: count, maxMessages: 0, restartLatencyMs: restartLatencyMs,
            recordLatency: options.recordLatency))
        let signal = Mutex<Signal?>(nil)
        let outcome = await rig.run { handles in
            let allRestarting = await waitUntilRestarting(count, handles.table)
            let now = ContinuousClock.now
            signal.withLock { $0 = Signal(at: now, inFlight: handles.table.count, allRestarting: allRestarting) }
            // Daemon.coordinateShutdown, step by step.
            handles.shutdown.begin(.signal("SIGTERM"))
            handles.subscription.stopIntake()
            do {
                try await SystemClock().sleep(for: drainDeadline)
            } catch {
                return
            }
            if !handles.shutdown.isForced { handles.shutdown.force(.drainDeadline) }
        }
        let signalled = signal.withLock { $0 }
        var line = BenchLine(
            scenario: .shutdown, messages: count, seconds: outcome.seconds,
            latency: outcome.subscription.publishToAck, baselineRate: options.baselineRate)
        let shutdownMs = signalled.map { $0.at.duration(to: outcome.closed).seconds * 1000 }
        line["shutdown_ms"] = .number(shutdownMs.map { ($0 * 10).rounded() / 10 })
        line["drain_deadline_ms"] = .int(Int(drainDeadline.seconds * 1000))
        // Where the time after the signal went: settling the cancelled handlers, then closing.
        line["settled_ms"] = .number(signalled.map { ($0.at.duration(to: outcome.consumerReturned).seconds * 10_000).rounded() / 10 })
        line["close_ms"] = .number((outcome.consumerReturned.duration(to: outcome.closed).seconds * 10_000).rounded() / 10)
        line["overrun_ms"] = .number(shutdownMs.map { (($0 - drainDeadline.seconds * 1000) * 10).rounded() / 10 })
        line["in_flight_at_signal"] = .int(signalled?.inFlight ?? 0)
        line["all_restarting_at_signal"] = .bool(signalled?.allRestarting ?? false)
        line["received"] = .int(outcome.totals.received)
        line["acked"] = .int(outcome.totals.acked)
        line["nacked"] = .int(outcome.totals.nacked)
        line["dead_lettered"] = .int(outcome.totals.deadLettered)
        line["abandoned"] = .int(outcome.totals.abandoned)
        line["unaccounted"] = .int(outcome.unaccounted)
        line["broker_outstanding"] = .int(feed.broker.counts.outstanding)
        line["store"] = .text("journal")
        return line
    }

    /// Polls until `count` messages are in hand and all in the restart stage; false when
    /// the load deadline passed first.
    private static func waitUntilRestarting(_ count: Int, _ table: InFlightTable) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: loadDeadline)
        while ContinuousClock.now < deadline {
            if table.count >= count {
                let now = ContinuousClock.now
                if table.all().allSatisfy({ $0.status(now: now).stage == .restart }) { return true }
            }
            do {
                try await SystemClock().sleep(for: .milliseconds(10))
            } catch {
                return false
            }
        }
        return false
    }
}
