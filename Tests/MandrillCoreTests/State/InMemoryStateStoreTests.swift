import Testing
@testable import MandrillCore

struct InMemoryStateStoreTests {
    private func record(_ kind: StateRecord.Kind, _ index: Int, sequence: UInt64 = 0) -> StateRecord {
        var record = StateRecord(
            time: 1_800_000_000 + Double(index), kind: kind, messageID: MessageID("m-\(index)"),
            host: "cattle-\(index).example.net", attempt: 1, detail: kind == .acked ? "restarted" : "")
        record.sequence = sequence
        return record
    }

    /// The store numbers records in the order they are appended, whatever sequence they
    /// carry, and folds each in exactly as `StateIndex.apply` would with that number.
    @Test func recordsAreNumberedInAppendOrderAndFoldedAsTheIndexWould() async throws {
        let store = InMemoryStateStore()
        // Sequences the caller set are ignored: the store assigns them.
        try store.appendBehind(record(.received, 1, sequence: 99))
        try store.appendBehind([record(.received, 2), record(.restartStarted, 1, sequence: 7)])
        try await store.append([record(.restartSucceeded, 1), record(.acked, 1)])

        #expect(store.records.map(\.sequence) == [1, 2, 3, 4, 5])
        var expected = StateIndex()
        for (offset, kept) in store.records.enumerated() {
            #expect(kept.sequence == UInt64(offset + 1))
            expected.apply(kept)
        }
        #expect(store.snapshot() == expected)
        #expect(store.snapshot().lastSequence == 5)
        #expect(store.isFinished(MessageID("m-1")) && !store.isFinished(MessageID("m-2")))
    }

    /// Without kept records the index is the same.
    @Test func anIndexWithoutKeptRecordsIsTheSame() async throws {
        let keeping = InMemoryStateStore()
        let forgetting = InMemoryStateStore(keepRecords: false)
        for store in [keeping, forgetting] {
            try store.appendBehind(record(.received, 1))
            try await store.append([record(.restartSucceeded, 1), record(.acked, 1)])
        }
        #expect(forgetting.records.isEmpty)
        #expect(keeping.snapshot() == forgetting.snapshot())
    }
}
