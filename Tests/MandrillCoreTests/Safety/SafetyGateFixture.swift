import Foundation
import Testing
@testable import MandrillCore

/// A safety gate wired to a manual clock, an in-memory store and a recording
/// subscription, with helpers to make in-flight messages and read admissions.
struct SafetyGateFixture {
    let clock: ManualClock
    let store = InMemoryStateStore()
    let subscription = RecordingSubscription()
    let table = InFlightTable()
    let intake: IntakePause
    let gate: SafetyGate

    /// Settings start from the defaults with the cooldown, rate and concurrency guards off,
    /// so each test turns on only what it tests.
    init(
        wallTime: Double = 1_800_000_000, pauseFile: String = "/nonexistent/PAUSE",
        _ configure: (inout SafetySettings) -> Void = { _ in }
    ) {
        clock = ManualClock(wallTime: wallTime)
        var settings = SafetySettings()
        settings.hostCooldownSeconds = 0
        settings.maxRestartsPerMinute = 0
        settings.maxConcurrentRestarts = 0
        configure(&settings)
        intake = IntakePause(subscription: subscription, store: store, pauseFile: pauseFile, clock: clock, logger: .silent)
        gate = SafetyGate(settings: settings, store: store, intake: intake, clock: clock, logger: .silent)
    }

    /// A message in hand for `host`, with id `id`.
    func message(_ id: String, host: String) -> (RestartRequest, InFlightMessage) {
        let pubsub = PubSubMessage(id: MessageID(id), instanceName: host, hostname: host, publishTime: clock.wallTime)
        let delivery = Delivery(id: MessageID(id), attempt: 1, payload: .restart(pubsub), receivedAt: clock.now)
        let message = table.insert(delivery, now: clock.now, leaseDeadline: clock.now.advanced(by: .seconds(10)))
        return (RestartRequest(messageID: MessageID(id), hostname: host, instanceName: host, attempt: 1), message)
    }

    /// Admits a message for `host` and waits for the answer.
    func admit(_ id: String, host: String) async -> GateAdmission {
        let (request, message) = message(id, host: host)
        return await gate.admit(request, message: message)
    }

    /// Admits in a child task, for answers that have to wait.
    func admitLater(_ id: String, host: String) -> Task<GateAdmission, Never> {
        let (request, message) = message(id, host: host)
        return Task { [gate] in await gate.admit(request, message: message) }
    }

    /// Waits until `count` messages wait for a turn to start.
    func waitUntilWaitingToStart(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually({ gate.status.waitingToStart == count }, sourceLocation: sourceLocation)
    }
}

extension GateAdmission {
    /// A one-line summary to compare in expectations: `proceed web-1`, `done skipped: …`,
    /// `deferred 3000s: …`, `interrupted leaseExpired`.
    var summary: String {
        switch self {
        case .proceed(let permit): "proceed \(permit.host)\(permit.dryRun ? " dry-run" : "")"
        case .done(let outcome, let reason): "done \(outcome): \(reason)"
        case .deferred(let delay, let reason): "deferred \(delay.secondsText): \(reason)"
        case .interrupted(let why): "interrupted \(why)"
        }
    }

    /// The permit of a `.proceed`.
    var permit: RestartPermit? {
        if case .proceed(let permit) = self { return permit }
        return nil
    }
}
