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

    /// Open entries are keyed by id and do not repeat it; `inDoubt` lists them with their
    /// ids, oldest first (ties by id), and reads the entry's fields through.
    @Test func inDoubtListsOpenMessagesWithTheirIdsOldestFirst() {
        var index = StateIndex()
        for n in [3, 1, 2] { index.apply(record(.received, n)) }
        var tie = record(.received, 4)
        tie.time = record(.received, 1).time
        index.apply(tie)
        index.apply(record(.restartStarted, 2))
        index.apply(record(.acked, 3))

        let listed = index.inDoubt
        #expect(listed.map(\.id) == [MessageID("m-1"), MessageID("m-4"), MessageID("m-2")])
        #expect(listed.map(\.host) == ["cattle-1.example.net", "cattle-4.example.net", "cattle-2.example.net"])
        #expect(listed.map(\.restartStarted) == [false, false, true])
        #expect(listed[2].message == index.open[MessageID("m-2")])
        #expect(listed[2].since == 1_800_000_002 && listed[2].attempt == 1)
    }

    /// Forgetting old finished ids keeps the newer ones and, asked to, room for a burst.
    @Test func forgettingFinishedIdsKeepsTheNewerOnesAndTheReservation() {
        var index = StateIndex()
        for n in 1...2_000 { index.apply(record(.acked, n)) }
        var unreserved = index
        let cutoff = 1_800_000_000 + 1_500.0
        index.forgetFinished(before: cutoff, reservingInFlight: 3_000)
        unreserved.forgetFinished(before: cutoff)
        let kept = Set((1_500...2_000).map { MessageID("m-\($0)") })
        #expect(Set(index.finished.keys) == kept)
        #expect(index == unreserved)
        #expect(index.finished.capacity >= kept.count + 3_000)
        // The burst the reservation is for does not grow the table.
        let capacity = index.finished.capacity
        for n in 2_001...5_000 { index.apply(record(.acked, n)) }
        #expect(index.finished.capacity == capacity)
    }

    @Test func reservingNothingChangesNothing() {
        var index = StateIndex()
        index.reserve(inFlight: 0)
        #expect(index.open.capacity == 0 && index.finished.capacity == 0)
        let store = InMemoryStateStore(keepRecords: false, reservingInFlight: 500)
        #expect(store.snapshot().open.capacity >= 500 && store.snapshot().open.isEmpty)
    }
}
