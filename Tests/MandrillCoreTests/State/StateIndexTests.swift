import Testing
@testable import MandrillCore

struct StateIndexTests {
    private func record(_ kind: StateRecord.Kind, _ index: Int) -> StateRecord {
        StateRecord(
            time: 1_800_000_000 + Double(index), kind: kind, messageID: MessageID("m-\(index)"),
            host: "cattle-\(index % 5).example.net", attempt: 1, detail: kind == .acked ? "restarted" : "")
    }

    /// Reserved for N in flight, a burst of N messages received and then finished never
    /// grows (rehashes) the tables, and the reservation itself changes no contents.
    @Test func aReservedIndexTakesABurstOfTheInFlightLimitWithoutGrowing() {
        var index = StateIndex()
        index.apply(record(.received, 0))
        let before = index
        index.reserve(inFlight: 3_000)
        #expect(index == before)
        let (openCapacity, finishedCapacity) = (index.open.capacity, index.finished.capacity)
        #expect(openCapacity >= 3_001 && finishedCapacity >= 3_000)

        for n in 1...3_000 { index.apply(record(.received, n)) }
        for n in 1...3_000 { index.apply(record(.acked, n)) }
        #expect(index.open.count == 1 && index.finished.count == 3_000)
        #expect(index.open.capacity == openCapacity && index.finished.capacity == finishedCapacity)
    }

    @Test func reservingNothingChangesNothing() {
        var index = StateIndex()
        index.reserve(inFlight: 0)
        #expect(index.open.capacity == 0 && index.finished.capacity == 0)
        let store = InMemoryStateStore(keepRecords: false, reservingInFlight: 500)
        #expect(store.snapshot().open.capacity >= 500 && store.snapshot().open.isEmpty)
    }
}
