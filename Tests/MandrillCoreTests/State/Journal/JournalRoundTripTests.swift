import Testing

@testable import MandrillCore

@Suite struct JournalRoundTripTests {
    @Test func appendedRecordsWithUnicodeStringsAreRecoveredAfterReopen() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let records = JournalFixtures.records(1...25)

        let (journal, first) = try await Journal.open(directory: directory.path, fsync: .batch)
        #expect(first == RecoveryReport(segmentCount: 1, totalBytes: JournalSegment.header.count))
        try await journal.append(Array(records[..<10]))
        try await journal.append(Array(records[10...]))
        try await journal.close()

        let (reopened, recovery) = try await Journal.open(directory: directory.path)
        try await reopened.close()
        #expect(recovery.records == JournalFixtures.sequenced(records))
        #expect(recovery.lastSequence == 25)
        #expect(recovery.droppedBytes == 0)
        #expect(recovery.droppedSegments == 0)
        #expect(recovery.snapshot == nil)
    }

    @Test func sequenceNumbersKeepIncreasingAcrossReopens() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        for round in 0..<3 {
            let (journal, recovery) = try await Journal.open(directory: directory.path, fsync: .never)
            #expect(recovery.lastSequence == UInt64(round * 4))
            let last = try await journal.append(JournalFixtures.records(1...4))
            #expect(last == UInt64(round * 4 + 4))
            #expect(journal.lastSequence == last)
            try await journal.close()
        }
        let report = try Journal.read(directory: directory.path)
        #expect(report.records.map(\.sequence) == Array(1...12))
    }

    @Test func appendAssignsSequencesAndIgnoresTheCallersOwn() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        var record = JournalFixtures.record(1)
        record.sequence = 999
        #expect(try await journal.append([record, record]) == 2)
        #expect(try await journal.append([]) == 2)
        try await journal.close()
        #expect(try Journal.read(directory: directory.path).records.map(\.sequence) == [1, 2])
    }

    @Test func oversizedRecordIsRejectedAndNothingIsAppended() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        var huge = JournalFixtures.record(1)
        huge.detail = String(repeating: "x", count: Journal.maxRecordBytes)
        await #expect(throws: JournalError.self) {
            try await journal.append([JournalFixtures.record(0), huge])
        }
        try await journal.append([JournalFixtures.record(2)])
        try await journal.close()
        #expect(try Journal.read(directory: directory.path).records.map(\.sequence) == [1])
    }

    @Test func appendAfterCloseThrowsClosed() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        try await journal.close()
        try await journal.close()  // idempotent
        await #expect(throws: JournalError.closed) {
            try await journal.append([JournalFixtures.record(1)])
        }
    }

    @Test func openCreatesMissingParentDirectories() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let nested = directory.file("a/b/state")
        let (journal, _) = try await Journal.open(directory: nested, fsync: .never)
        try await journal.append([JournalFixtures.record(1)])
        try await journal.close()
        #expect(try Journal.read(directory: nested).records.count == 1)
    }
}
