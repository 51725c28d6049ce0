import Testing

@testable import MandrillCore

@Suite struct JournalTornTailTests {
    /// Writes `count` records into one segment and returns its bytes and the frame ends.
    private func writeSegment(count: Int) async throws -> (bytes: [UInt8], frameEnds: [Int]) {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        try await journal.append(JournalFixtures.records(1...count))
        try await journal.close()
        let bytes = try PosixFileSystem().readFile(directory.file(JournalSegment.fileName(1)))
        var ends = [JournalSegment.header.count]
        for record in JournalFixtures.records(1...count) {
            ends.append(ends.last! + JournalFrame.headerBytes + RecordCodec.encodedSize(record))
        }
        #expect(ends.last == bytes.count)
        return (bytes, ends)
    }

    @Test func truncationAtEveryByteOfTheLastRecordsRecoversExactlyTheWholeOnes() async throws {
        let (bytes, ends) = try await writeSegment(count: 20)
        let all = JournalFixtures.sequenced(JournalFixtures.records(1...20))
        for length in ends[17]...bytes.count {
            let directory = try JournalTestDirectory()
            defer { directory.remove() }
            let segment = directory.file(JournalSegment.fileName(1))
            try writeFile(segment, Array(bytes[..<length]))
            let whole = ends.lastIndex { $0 <= length }!  // records fully present

            let (journal, recovery) = try await Journal.open(directory: directory.path, fsync: .never)
            #expect(recovery.records == Array(all[..<whole]), "length \(length)")
            #expect(recovery.droppedBytes == length - ends[whole], "length \(length)")
            #expect(try PosixFileSystem().fileSize(segment) == ends[whole], "length \(length)")
            try await journal.append([JournalFixtures.record(99)])
            try await journal.close()

            let after = try Journal.read(directory: directory.path)
            #expect(after.records.map(\.sequence) == Array(1...UInt64(whole + 1)), "length \(length)")
            #expect(after.droppedBytes == 0)
        }
    }

    @Test func flippedBitInAPayloadStopsRecoveryBeforeThatRecord() async throws {
        let (bytes, ends) = try await writeSegment(count: 10)
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        var corrupt = bytes
        corrupt[ends[5] + JournalFrame.headerBytes + 20] ^= 0x04  // inside record 6's payload
        try writeFile(directory.file(JournalSegment.fileName(1)), corrupt)

        let (journal, recovery) = try await Journal.open(directory: directory.path, fsync: .never)
        try await journal.close()
        #expect(recovery.records.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(recovery.droppedBytes == bytes.count - ends[5])
        #expect(recovery.lastSequence == 5)
    }

    @Test func readOnlyReadStopsAtATornTailWithoutChangingTheFile() async throws {
        let (bytes, ends) = try await writeSegment(count: 6)
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let torn = Array(bytes[..<(ends[4] + 7)])
        let segment = directory.file(JournalSegment.fileName(1))
        try writeFile(segment, torn)
        try writeFile(directory.file(JournalSegment.fileName(2)), JournalSegment.header)

        let report = try Journal.read(directory: directory.path)
        #expect(report.records.map(\.sequence) == [1, 2, 3, 4])
        #expect(report.droppedBytes == 7 + JournalSegment.header.count)
        #expect(report.droppedSegments == 1)
        #expect(try PosixFileSystem().readFile(segment) == torn)
        #expect(try directory.names() == [JournalSegment.fileName(1), JournalSegment.fileName(2)])
    }

    @Test func segmentsAfterACorruptOneAreRemovedOnOpen() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: 300)
        for index in 1...30 { try await journal.append([JournalFixtures.record(index)]) }
        try await journal.close()
        let segments = try directory.names().filter { $0.hasSuffix(".seg") }
        #expect(segments.count >= 4)
        var second = try PosixFileSystem().readFile(directory.file(segments[1]))
        second[JournalSegment.header.count + 3] ^= 0xFF  // the first frame's length

        try writeFile(directory.file(segments[1]), second)
        let (reopened, recovery) = try await Journal.open(directory: directory.path, fsync: .never, segmentBytes: 300)
        try await reopened.close()
        #expect(recovery.droppedSegments == segments.count - 2)
        #expect(recovery.segmentCount == 2)
        let kept = try directory.names().filter { $0.hasSuffix(".seg") }
        #expect(kept == Array(segments[..<2]))
        #expect(recovery.records.last?.sequence == recovery.lastSequence)
    }

    private func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fileSystem = PosixFileSystem()
        try? fileSystem.remove(path)
        let file = try fileSystem.openForAppend(path, create: true)
        defer { fileSystem.close(file) }
        try bytes.withUnsafeBytes { try fileSystem.write(file, $0) }
    }
}
