import Testing

@testable import MandrillCore

@Suite struct JournalCompactionTests {
    private let segmentBytes = 300

    private func segmentNames(_ directory: JournalTestDirectory) throws -> [String] {
        try directory.names().filter { $0.hasSuffix(".seg") }
    }

    /// A journal in `directory` with records 1...20 appended one append each (so they
    /// span several small segments).
    private func journalOfTwentyRecords(in directory: JournalTestDirectory) async throws -> Journal {
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: segmentBytes)
        for index in 1...20 { try await journal.append([JournalFixtures.record(index)]) }
        return journal
    }

    @Test func smallSegmentBytesRollOverIntoNumberedSegments() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: segmentBytes)
        try await journal.append(JournalFixtures.records(1...10))
        for index in 11...30 { try await journal.append([JournalFixtures.record(index)]) }
        try await journal.close()

        let names = try segmentNames(directory)
        #expect(names.count > 4)
        #expect(names.first == "journal-00000001.seg")
        for name in names.dropLast() {
            // A segment is closed once it passes segmentBytes, so it ends at most one record later.
            #expect(try PosixFileSystem().fileSize(directory.file(name)) < segmentBytes + 200)
        }
        let report = try Journal.read(directory: directory.path)
        #expect(report.records == JournalFixtures.sequenced(JournalFixtures.records(1...30)))
        #expect(report.segmentCount == names.count)
    }

    @Test func compactionRemovesCoveredSegmentsAndRecoveryStartsFromTheSnapshot() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, segmentBytes: segmentBytes)
        for index in 1...30 { try await journal.append([JournalFixtures.record(index)]) }
        #expect(journal.needsCompaction)
        let oldSegments = try segmentNames(directory)

        try await journal.compact(snapshot: [7, 0, 255])
        #expect(!journal.needsCompaction)
        #expect(journal.bytesSinceSnapshot == JournalSegment.header.count)
        let names = try directory.names()
        #expect(names.contains(JournalSnapshotFile.fileName(30)))
        #expect(Set(names).isDisjoint(with: oldSegments))
        #expect(try segmentNames(directory).count == 1)

        try await journal.append(JournalFixtures.records(31...35))
        try await journal.close()
        let (reopened, recovery) = try await Journal.open(directory: directory.path, segmentBytes: segmentBytes)
        try await reopened.close()
        #expect(recovery.snapshot == [7, 0, 255])
        #expect(recovery.snapshotSequence == 30)
        #expect(recovery.records == JournalFixtures.sequenced(JournalFixtures.records(31...35), from: 31))
        #expect(recovery.lastSequence == 35)
    }

    @Test func aNewerSnapshotReplacesTheOlderOne() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: segmentBytes)
        try await journal.append(JournalFixtures.records(1...3))
        try await journal.compact(snapshot: [1])
        try await journal.append(JournalFixtures.records(4...6))
        try await journal.compact(snapshot: [2])
        try await journal.close()
        #expect(try directory.names().filter { $0.hasSuffix(".snap") } == [JournalSnapshotFile.fileName(6)])
        let report = try Journal.read(directory: directory.path)
        #expect(report.snapshot == [2])
        #expect(report.records.isEmpty)
        #expect(report.lastSequence == 6)
    }

    @Test func snapshotCoveringAnEarlierSequenceKeepsTheLaterRecords() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let journal = try await journalOfTwentyRecords(in: directory)
        try await journal.compact(snapshot: [9], coveringThrough: 12)
        await #expect(throws: JournalError.snapshotBeyondJournal(sequence: 99, lastSequence: 20)) {
            try await journal.compact(snapshot: [9], coveringThrough: 99)
        }
        try await journal.close()
        let report = try Journal.read(directory: directory.path)
        #expect(report.snapshotSequence == 12)
        #expect(report.records.map(\.sequence) == Array(13...20))
    }

    /// A snapshot taken before a newer one was installed (two compactions racing) is
    /// ignored: installing it would remove the newer snapshot, and the records only that
    /// one covers would be gone. Also across a reopen.
    @Test func aStaleSnapshotIsIgnoredAndTheNewerOneKept() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let journal = try await journalOfTwentyRecords(in: directory)
        try await journal.compact(snapshot: [2], coveringThrough: 15)
        try await journal.compact(snapshot: [1], coveringThrough: 10)
        try await journal.close()
        let (reopened, recovery) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: segmentBytes)
        #expect(recovery.snapshot == [2] && recovery.snapshotSequence == 15)
        try await reopened.compact(snapshot: [1], coveringThrough: 12)
        try await reopened.close()
        let report = try Journal.read(directory: directory.path)
        #expect(report.snapshot == [2])
        #expect(report.snapshotSequence == 15)
        #expect(report.records.map(\.sequence) == Array(16...20))
        #expect(try directory.names().filter { $0.hasSuffix(".snap") } == [JournalSnapshotFile.fileName(15)])
    }

    @Test func crashBeforeTheSnapshotRenameRecoversTheOldState() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: segmentBytes)
        try await journal.append(JournalFixtures.records(1...10))
        try await journal.compact(snapshot: [1])
        try await journal.append(JournalFixtures.records(11...20))
        try await journal.close()
        // The crash: a complete new snapshot written to the temporary file, never renamed.
        let temporary = JournalSnapshotFile.prefix(sequence: 20, snapshot: [2]) + [2]
        try write(temporary, to: directory.file(JournalSnapshotFile.temporaryName))

        let (reopened, recovery) = try await Journal.open(directory: directory.path, segmentBytes: segmentBytes)
        try await reopened.close()
        #expect(recovery.snapshot == [1])
        #expect(recovery.records.map(\.sequence) == Array(11...20))
        #expect(!(try directory.names().contains(JournalSnapshotFile.temporaryName)))
    }

    @Test func crashAfterTheRenameBeforeSegmentRemovalRecoversTheNewState() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let journal = try await journalOfTwentyRecords(in: directory)
        try await journal.close()
        // The crash: the snapshot renamed into place, the covered segments not yet removed.
        let snapshot = JournalSnapshotFile.prefix(sequence: 15, snapshot: [5]) + [5]
        try write(snapshot, to: directory.file(JournalSnapshotFile.fileName(15)))

        let (reopened, recovery) = try await Journal.open(directory: directory.path, segmentBytes: segmentBytes)
        #expect(recovery.snapshot == [5])
        #expect(recovery.records.map(\.sequence) == Array(16...20))
        #expect(try await reopened.append([JournalFixtures.record(21)]) == 21)
        try await reopened.close()
    }

    @Test func aDamagedNewestSnapshotFallsBackToTheOlderOne() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        try await journal.append(JournalFixtures.records(1...5))
        try await journal.compact(snapshot: [1], coveringThrough: 2)
        try await journal.close()
        var damaged = JournalSnapshotFile.prefix(sequence: 5, snapshot: [2]) + [2]
        damaged[damaged.count - 1] ^= 1
        try write(damaged, to: directory.file(JournalSnapshotFile.fileName(5)))

        let report = try Journal.read(directory: directory.path)
        #expect(report.snapshot == [1])
        #expect(report.records.map(\.sequence) == [3, 4, 5])
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        let fileSystem = PosixFileSystem()
        let file = try fileSystem.openForAppend(path, create: true)
        defer { fileSystem.close(file) }
        try bytes.withUnsafeBytes { try fileSystem.write(file, $0) }
    }
}
