import Foundation
import Synchronization
import Testing
@testable import MandrillCore

@Suite(.timeLimit(.minutes(1)))
struct JournalStateStoreTests {
    static func settings(_ directory: String, segmentBytes: Int = 64 * 1024 * 1024) -> StateSettings {
        var settings = StateSettings()
        settings.directory = directory
        settings.fsync = .never
        settings.segmentBytes = segmentBytes
        return settings
    }

    static func lifecycle(_ index: Int, outcome: StateRecord.Kind = .acked) -> [StateRecord] {
        let id = MessageID("m-\(index)")
        let host = "cattle-\(index % 7).example.net"
        let time = 1_800_000_000 + Double(index)
        return [
            StateRecord(time: time, kind: .received, messageID: id, host: host, attempt: 1),
            StateRecord(time: time, kind: .restartStarted, messageID: id, host: host, attempt: 1, detail: "try=1"),
            StateRecord(time: time + 0.5, kind: .restartSucceeded, messageID: id, host: host, attempt: 1, duration: 0.5),
            StateRecord(time: time + 0.5, kind: outcome, messageID: id, host: host, attempt: 1, detail: outcome == .acked ? "restarted" : "restart_failed"),
        ]
    }

    @Test func recordsWrittenBehindAreFoldedOnlyOnceWrittenAndByTheTimeAnAppendCoversThemAndSurviveAReopen() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let store = try await JournalStateStore.open(
            settings: Self.settings(directory.path), clock: ManualClock(), logger: .silent, fileSystem: fileSystem
        ) { _ in }
        let records = Self.lifecycle(1)
        // One at a time, as the handler writes them (the array form follows below).
        try store.appendBehind(records[0])
        try store.appendBehind(records[1])
        // The writer thread may write (and so fold) them at any moment now, never earlier.
        let early = store.snapshot()
        #expect(early.lastSequence <= fileSystem.snapshot.writtenSequence, "folded before it was written")
        #expect(early.totals.received == (early.lastSequence >= 1 ? 1 : 0))
        try await store.append(Array(records.suffix(2)))
        #expect(store.snapshot().lastSequence == 4)
        #expect(store.snapshot().totals.received == 1)
        #expect(store.snapshot().totals.acked == 1)
        #expect(store.isFinished(MessageID("m-1")))
        // Written behind and never covered: close makes it durable all the same.
        try store.appendBehind(Array(Self.lifecycle(2).prefix(2)))
        try await store.close()
        #expect(throws: JournalError.self) { try store.appendBehind(Array(Self.lifecycle(3).prefix(1))) }
        #expect(throws: JournalError.self) { try store.appendBehind(Self.lifecycle(3)[0]) }

        let reopened = try await JournalStateStore.open(
            settings: Self.settings(directory.path), clock: ManualClock(), logger: .silent) { _ in }
        #expect(reopened.snapshot().totals.received == 2)
        #expect(reopened.isFinished(MessageID("m-1")))
        #expect(reopened.snapshot().inDoubt.map(\.id) == [MessageID("m-2")], "started, never finished: in doubt")
        try await reopened.close()
    }

    @Test func compactionKeepsStatusIdentical() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let store = try await JournalStateStore.open(
            settings: Self.settings(directory.path, segmentBytes: 4096), clock: ManualClock(), logger: .silent) { _ in }
        for index in 0..<300 {
            try await store.append(Self.lifecycle(index, outcome: index % 10 == 0 ? .nacked : .acked))
        }
        // One message received and started, never finished: in doubt.
        try await store.append(Array(Self.lifecycle(999).prefix(2)))
        try await store.close()

        let before = try StateReader(directory: directory.path)
        #expect(before.report.snapshot != nil, "appending past segmentBytes × 4 compacted the journal")
        let reopened = try await JournalStateStore.open(
            settings: Self.settings(directory.path, segmentBytes: 4096), clock: ManualClock(), logger: .silent) { _ in }
        await reopened.compact()
        try await reopened.close()
        let after = try StateReader(directory: directory.path)

        #expect(after.report.records.isEmpty, "everything is in the snapshot")
        #expect(StatusCommand.json(after).dropJournalSection == StatusCommand.json(before).dropJournalSection)
        #expect(StatusCommand.text(after).dropFirstLine == StatusCommand.text(before).dropFirstLine)
        #expect(after.index.totals.received == 301)
        #expect(after.index.inDoubt.map(\.id) == [MessageID("m-999")])
        #expect(after.index.finished.count == 270)
    }

    /// The room reserved for `maxInFlight` at open survives a compaction.
    @Test func compactionKeepsTheInFlightReservation() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let store = try await JournalStateStore.open(
            settings: Self.settings(directory.path), clock: ManualClock(), logger: .silent, reservingInFlight: 5_000) { _ in }
        for index in 0..<20 { try await store.append(Self.lifecycle(index)) }
        await store.compact()
        let index = store.snapshot()
        #expect(index.finished.count == 20)
        #expect(index.finished.capacity >= 20 + 5_000)
        try await store.close()
    }

    @Test func recoveryRebuildsFinishedIdsLastRestartsAndInDoubtMessages() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let store = try await JournalStateStore.open(settings: Self.settings(directory.path), clock: ManualClock(), logger: .silent) { _ in }
        try await store.append(Self.lifecycle(1))
        try await store.append(Array(Self.lifecycle(2).prefix(2)))
        try await store.append(Array(Self.lifecycle(3).prefix(2)))
        try await store.close()

        let recovered = try await JournalStateStore.open(settings: Self.settings(directory.path), clock: ManualClock(), logger: .silent) { _ in }
        #expect(recovered.isFinished(MessageID("m-1")))
        #expect(!recovered.isFinished(MessageID("m-2")))
        #expect(recovered.isInDoubt(MessageID("m-2")))
        #expect(recovered.lastRestart(of: "cattle-1.example.net") == 1_800_000_001.5)
        try await recovered.append([StateRecord(time: 1_800_000_100, kind: .acked, messageID: MessageID("m-2"), host: "cattle-2.example.net", attempt: 2, detail: "restarted")])
        #expect(!recovered.isInDoubt(MessageID("m-2")))
        // Settling one in-doubt message leaves the others in doubt.
        #expect(recovered.isInDoubt(MessageID("m-3")))
        #expect(!recovered.isInDoubt(MessageID("m-1")))
        try await recovered.close()
    }

    @Test func finishedIdsAreForgottenAfterTheDedupeWindow() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        var settings = Self.settings(directory.path)
        settings.dedupeWindowSeconds = 3600
        let clock = ManualClock(wallTime: 1_800_000_000)
        let store = try await JournalStateStore.open(settings: settings, clock: clock, logger: .silent) { _ in }
        try await store.append(Self.lifecycle(1))
        try await store.close()
        clock.advance(by: .seconds(7200))
        let later = try await JournalStateStore.open(settings: settings, clock: clock, logger: .silent) { _ in }
        #expect(!later.isFinished(MessageID("m-1")))
        try await later.close()
    }

    @Test func anFsyncFailureIsFatalAndNeverRetried() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        var settings = Self.settings(directory.path)
        settings.fsync = .batch
        let fileSystem = CountingJournalFileSystem()
        let fatal = Mutex<[JournalError]>([])
        let store = try await JournalStateStore.open(settings: settings, clock: ManualClock(), logger: .silent, fileSystem: fileSystem) { error in
            fatal.withLock { $0.append(error) }
        }
        try await store.append(Self.lifecycle(1))
        fileSystem.failFsyncs()
        let fsyncsBefore = fileSystem.snapshot.fileFsyncs
        await #expect(throws: JournalError.self) { try await store.append(Self.lifecycle(2)) }
        await #expect(throws: JournalError.self) { try await store.append(Self.lifecycle(3)) }
        #expect(fileSystem.snapshot.fileFsyncs - fsyncsBefore == 1, "the failed fsync is not retried")
        // Once, although two appends (and the failed write's waiters) saw the error.
        let errors = fatal.withLock { $0 }
        #expect(errors.count == 1)
        guard case .fsyncFailed = errors.first else {
            Issue.record("expected fsyncFailed, got \(errors)")
            return
        }
        #expect(!store.isFinished(MessageID("m-2")), "an outcome that was not made durable does not count")
        #expect(ExitCode.ioError == 74)
    }

    @Test func theShutdownManifestListsEveryMessageInHandWithItsState() async throws {
        let manifest = ShutdownManifest()
        manifest.record(MessageID("a"), .acked("restarted"))
        manifest.record(MessageID("b"), .nacked("shutdown_unstarted"))
        manifest.record(MessageID("c"), .abandoned("restart"))
        manifest.record(MessageID("d"), .nacked("lease_expired"))
        let records = manifest.records(time: 1)
        #expect(records.count == 1)
        #expect(records[0].kind == .manifest)
        #expect(records[0].detail == "a=acked,b=nacked-unstarted,c=abandoned-in-doubt,d=lease-expired")
        #expect(HistoryCommand.manifestSummary(records[0].detail) == "4 message(s) in hand at shutdown: abandoned-in-doubt=1 acked=1 lease-expired=1 nacked-unstarted=1")
        #expect(manifest.records(time: 1, partBytes: 20).count == 4, "a long manifest is split into parts that fit a record")
    }
}

private extension String {
    var dropJournalSection: String {
        guard let start = range(of: ",\"journal\":{"), let end = range(of: "},\"totals\"", range: start.upperBound..<endIndex) else { return self }
        return String(self[..<start.lowerBound]) + String(self[end.lowerBound...].dropFirst())
    }

    var dropFirstLine: String { split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n") }
}
