import Foundation
import Testing

@testable import MandrillCore

/// Not a timed assertion: run by hand to see append throughput on this machine.
///
///     JOURNAL_THROUGHPUT=1 swift test -c release -Xswiftc -enable-testing --filter JournalThroughputCheck
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["JOURNAL_THROUGHPUT"] != nil))
struct JournalThroughputCheck {
    @Test(arguments: [FsyncPolicy.never, .batch])
    func appendThroughput(policy: FsyncPolicy) async throws {
        for (tasks, recordsPerAppend) in [(64, 1), (1_000, 1), (16, 100)] {
            let directory = try JournalTestDirectory()
            defer { directory.remove() }
            let (journal, _) = try await Journal.open(directory: directory.path, fsync: policy)
            let total = 400_000
            let appendsPerTask = total / tasks / recordsPerAppend
            let batch = JournalFixtures.records(1...recordsPerAppend)
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<tasks {
                        group.addTask {
                            for _ in 0..<appendsPerTask { try await journal.append(batch) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await journal.close()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let records = appendsPerTask * tasks * recordsPerAppend
            print(
                "journal throughput policy=\(policy) tasks=\(tasks) records_per_append=\(recordsPerAppend)",
                "records=\(records) records_per_second=\(Int(Double(records) / seconds))")
        }
    }
}
