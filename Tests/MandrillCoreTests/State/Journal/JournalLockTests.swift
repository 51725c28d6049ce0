import Testing

@testable import MandrillCore

@Suite struct JournalLockTests {
    @Test func secondOpenOfTheSameDirectoryIsLocked() async throws {
        let directory = try JournalTestDirectory()
        defer { directory.remove() }
        let (journal, _) = try await Journal.open(directory: directory.path, fsync: .never)
        await #expect(throws: JournalError.locked(directory: directory.path)) {
            _ = try await Journal.open(directory: directory.path, fsync: .never)
        }
        // Readers need no lock.
        try await journal.append([JournalFixtures.record(1)])
        #expect(try Journal.read(directory: directory.path).records.count == 1)

        try await journal.close()
        let (again, _) = try await Journal.open(directory: directory.path, fsync: .never)
        try await again.close()
    }
}
