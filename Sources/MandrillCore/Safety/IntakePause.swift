import Foundation
import Synchronization

/// Whether the subscription hands out work: paused while the failure brake is tripped,
/// the operator paused it (SIGUSR2) or the file `<state.directory>/PAUSE` exists.
///
/// Every change of the effective state calls `setIntakePaused`, logs one line and adds an
/// `intake` record to the state store (written by `run()`, in order).
///
/// Sendable: all mutable state sits in a `Mutex`.
public final class IntakePause: Sendable {
    private struct Sources {
        /// Why the brake tripped, while it is tripped.
        var brake: String?
        var operatorPaused = false
        var fileExists = false
        /// Intake records not yet written, oldest first.
        var unwritten: [StateRecord] = []

        var isPaused: Bool { brake != nil || operatorPaused || fileExists }
    }

    private let sources = Mutex(Sources())
    private let subscription: any Subscription
    private let store: any StateStore
    private let pauseFile: String
    private let clock: any MandrillClock
    private let logger: Logger
    private let pollInterval: Duration
    private let recordsAdded: AsyncStream<Void>
    private let recordsAddedContinuation: AsyncStream<Void>.Continuation

    /// Creates the pause for `subscription`; `pauseFile` is watched every `pollInterval`.
    public init(
        subscription: any Subscription, store: any StateStore, pauseFile: String, clock: any MandrillClock,
        logger: Logger, pollInterval: Duration = .seconds(1)
    ) {
        self.subscription = subscription
        self.store = store
        self.pauseFile = pauseFile
        self.clock = clock
        self.logger = logger
        self.pollInterval = pollInterval
        (recordsAdded, recordsAddedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The pause file of a state directory: `<directory>/PAUSE`.
    public static func pauseFile(inStateDirectory directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent("PAUSE").path
    }

    /// Whether intake is paused now.
    public var isPaused: Bool { sources.withLock { $0.isPaused } }

    /// The operator's switch (SIGUSR2): pauses running intake; resumes paused intake,
    /// which also releases a tripped brake. The pause file, while it exists, still holds.
    public func toggle() {
        var resuming = false
        let paused = change(pausedBy: "operator", resumedBy: "operator") { sources in
            resuming = sources.isPaused
            if resuming {
                sources.operatorPaused = false
                sources.brake = nil
            } else {
                sources.operatorPaused = true
            }
        }
        if resuming && paused {
            logger.warning("Intake stays paused while the pause file exists.", ["file": pauseFile])
        }
    }

    /// Trips the brake: intake pauses until the operator resumes it.
    public func tripBrake(reason: String) {
        change(pausedBy: "brake: \(reason)", resumedBy: "brake released") { $0.brake = reason }
    }

    /// Watches the pause file and writes intake records until cancelled; call it once.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                for await _ in recordsAdded { await writeRecords() }
            }
            while !Task.isCancelled {
                checkPauseFile()
                guard (try? await clock.sleep(for: pollInterval)) != nil else { break }
            }
            group.cancelAll()
        }
        await writeRecords()
    }

    /// Reads whether the pause file exists and adopts it.
    func checkPauseFile() {
        let exists = FileManager.default.fileExists(atPath: pauseFile)
        change(pausedBy: "pause file \(pauseFile)", resumedBy: "pause file removed") { $0.fileExists = exists }
    }

    /// Applies `update`; when that flips the effective state, tells the subscription, logs
    /// and queues the record. Returns whether intake is paused afterwards.
    @discardableResult
    private func change(pausedBy: String, resumedBy: String, _ update: (inout Sources) -> Void) -> Bool {
        sources.withLock { sources in
            let wasPaused = sources.isPaused
            update(&sources)
            let paused = sources.isPaused
            guard paused != wasPaused else { return paused }
            // Done under the lock so that two quick changes reach the subscription, the
            // log and the journal in the order they happened.
            subscription.setIntakePaused(paused)
            let detail = paused ? "paused: \(pausedBy)" : "resumed: \(resumedBy)"
            if paused {
                logger.warning("Intake paused.", ["reason": pausedBy])
            } else {
                logger.info("Intake resumed.", ["reason": resumedBy])
            }
            sources.unwritten.append(StateRecord(
                time: clock.wallTime, kind: .intake, messageID: MessageID("-"), host: "-", attempt: 0, detail: detail))
            recordsAddedContinuation.yield()
            return paused
        }
    }

    private func writeRecords() async {
        let records = sources.withLock { sources in
            defer { sources.unwritten.removeAll() }
            return sources.unwritten
        }
        guard !records.isEmpty else { return }
        do {
            try await store.append(records)
        } catch {
            logger.error("Could not save the intake change.", [
                "error": "\(error)", "detail": records.map(\.detail).joined(separator: "; "),
            ])
        }
    }
}
