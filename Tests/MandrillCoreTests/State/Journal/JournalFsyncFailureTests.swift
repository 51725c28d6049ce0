import Glibc
import Testing

@testable import MandrillCore

@Suite struct JournalFsyncFailureTests {
    @Test func failedFsyncFailsThatAppendAndEveryLaterOneWithoutRetrying() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, fileSystem: fileSystem)
        try await journal.append([JournalFixtures.record(1)])
        let before = fileSystem.snapshot.fileFsyncs
        fileSystem.failFsyncs(errno: EIO)

        let expected = JournalError.fsyncFailed(path: directory.file(JournalSegment.fileName(1)), errno: EIO)
        await #expect(throws: expected) { try await journal.append([JournalFixtures.record(2)]) }
        await #expect(throws: expected) { try await journal.append([JournalFixtures.record(3)]) }
        await #expect(throws: expected) { try await journal.compact(snapshot: [1]) }
        await #expect(throws: expected) { try await journal.close() }

        #expect(fileSystem.snapshot.fileFsyncs - before == 1)
        #expect(expected.isFatal)
    }

    @Test func failedWriteFailsTheAppendWithWriteFailed() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, fileSystem: fileSystem)
        fileSystem.failWrites(errno: ENOSPC)
        let fsyncs = fileSystem.snapshot.fileFsyncs

        await #expect(throws: JournalError.writeFailed(path: directory.file(JournalSegment.fileName(1)), errno: ENOSPC)) {
            try await journal.append([JournalFixtures.record(1)])
        }
        await #expect(throws: JournalError.self) { try await journal.append([JournalFixtures.record(2)]) }
        #expect(fileSystem.snapshot.fileFsyncs == fsyncs)
        await #expect(throws: JournalError.self) { try await journal.close() }
    }

    @Test func lockIsReleasedAfterAFatalErrorAndClose() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let fileSystem = CountingJournalFileSystem()
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .batch, fileSystem: fileSystem)
        fileSystem.failFsyncs()
        _ = try? await journal.append([JournalFixtures.record(1)])
        _ = try? await journal.close()

        let (reopened, recovery) = try await Journal.open(directory: directory.path)
        try await reopened.close()
        #expect(recovery.lastSequence <= 1)
    }
}
