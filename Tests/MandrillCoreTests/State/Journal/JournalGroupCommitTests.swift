import Synchronization
import Testing

@testable import MandrillCore

@Suite struct JournalGroupCommitTests {
    @Test func concurrentAppendsShareFsyncsAndReturnOnlyOnceDurable() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        // A millisecond per fsync, like a real disk, so appends arrive while one is running.
        let fileSystem = CountingJournalFileSystem(fsyncLatency: .milliseconds(1))
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, fileSystem: fileSystem)
        let before = fileSystem.snapshot.fileFsyncs

        let results = try await withThrowingTaskGroup(of: (UInt64, UInt64).self) { group in
            for index in 1...1_000 {
                group.addTask {
                    let sequence = try await journal.append([JournalFixtures.record(index)])
                    return (sequence, fileSystem.snapshot.durableSequence)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await journal.close()

        let fsyncs = fileSystem.snapshot.fileFsyncs - before
        #expect(fsyncs >= 1)
        #expect(fsyncs < 200)
        #expect(Set(results.map(\.0)) == Set(1...1_000))
        for (sequence, durable) in results {
            #expect(sequence <= durable, "append of \(sequence) returned before its fsync")
        }
        #expect(try Journal.read(directory: directory.path).records.count == 1_000)
    }

    @Test func everyRecordIsHandedOverOnceDurableInOrderBeforeItsAppendReturns() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem(fsyncLatency: .milliseconds(1))
        let seen = HandedOverRecords()
        // Small segments, so batches are split at rollovers and handed over in parts.
        let (journal, _) = try await Journal.open(
            directory: directory.path, fsync: .batch, segmentBytes: 2_000, fileSystem: fileSystem,
            onDurable: { records in
                let durable = fileSystem.snapshot.durableSequence
                seen.entries.withLock { $0.append(contentsOf: records.map { ($0.sequence, durable) }) }
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...300 {
                group.addTask {
                    _ = try journal.appendBehind([JournalFixtures.record(index, kind: .received)])
                    let sequence = try await journal.append([JournalFixtures.record(index)])
                    let handedOver = seen.entries.withLock { $0.contains { $0.0 == sequence } }
                    #expect(handedOver, "append of \(sequence) returned before it was handed over")
                }
            }
            try await group.waitForAll()
        }
        try await journal.close()

        let handedOver = seen.entries.withLock { $0 }
        #expect(handedOver.map(\.0) == Array(1...600), "each record once, in sequence order")
        for (sequence, durable) in handedOver {
            #expect(sequence <= durable, "record \(sequence) was handed over before its fsync")
        }
    }

    @Test func alwaysPolicyFsyncsOncePerRecord() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .always, fileSystem: fileSystem)
        let before = fileSystem.snapshot

        try await journal.append(JournalFixtures.records(1...3))
        try await journal.append(JournalFixtures.records(4...5))

        let after = fileSystem.snapshot
        #expect(after.fileFsyncs - before.fileFsyncs == 5)
        #expect(after.writes - before.writes == 5)
        #expect(after.durableSequence == 5)
        try await journal.close()
    }

    @Test func batchPolicyFsyncsOncePerAppendWhenAlone() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, fileSystem: fileSystem)
        let before = fileSystem.snapshot

        try await journal.append(JournalFixtures.records(1...50))

        let after = fileSystem.snapshot
        #expect(after.fileFsyncs - before.fileFsyncs == 1)
        #expect(after.writes - before.writes == 1)
        try await journal.close()
    }

    @Test func neverPolicyNeverFsyncs() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(
            directory: directory.path, fsync: .never, segmentBytes: 200, fileSystem: fileSystem)
        for index in 1...20 { try await journal.append([JournalFixtures.record(index)]) }
        try await journal.compact(snapshot: [1, 2, 3])
        try await journal.close()
        #expect(fileSystem.snapshot.fileFsyncs == 0)
        #expect(fileSystem.snapshot.directoryFsyncs == 0)
    }

    @Test func newSegmentsAreFollowedByADirectoryFsync() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(
            directory: directory.path, fsync: .batch, segmentBytes: 200, fileSystem: fileSystem)
        #expect(fileSystem.snapshot.directoryFsyncs == 1)  // the first segment
        for index in 1...10 { try await journal.append([JournalFixtures.record(index)]) }
        try await journal.close()
        let segments = try directory.names().filter { $0.hasSuffix(".seg") }.count
        #expect(segments > 1)
        #expect(fileSystem.snapshot.directoryFsyncs == segments)
    }
}

/// What `Journal.open(onDurable:)` saw: (sequence, durable sequence on disk at the time),
/// in hand-over order.
private final class HandedOverRecords: Sendable {
    let entries = Mutex<[(UInt64, UInt64)]>([])
}
