import Testing
@testable import MandrillCore

struct InFlightTableTests {
    /// Inserts and removes in a seeded random order, with slots reused in between: the
    /// table always lists what a plain model holds, oldest first, and counts it.
    @Test func insertsAndRemovesMatchAModelOldestFirst() {
        let clock = ManualClock()
        let table = InFlightTable()
        var generator = SplitMix64(seed: 17)
        var model: [InFlightMessage] = []
        for index in 1...2_000 {
            model.append(table.take(.request(index, receivedAt: clock.now), clock: clock))
            if Int.random(in: 0..<3, using: &generator) == 0 {
                let removed = model.remove(at: Int.random(in: 0..<model.count, using: &generator))
                table.remove(removed)
                // A second remove of the same message changes nothing.
                table.remove(removed)
            }
            if index % 250 == 0 {
                #expect(table.all().map(\.delivery.id) == model.map(\.delivery.id))
            }
            #expect(table.count == model.count)
        }
        // Freed slots were reused: as many slots as messages held, and at most the one
        // freed last is still empty.
        #expect(table.slotCounts.slots <= model.count + 1)
        for message in model.shuffled(using: &generator) { table.remove(message) }
        #expect(table.count == 0 && table.all().isEmpty)
    }

    @Test func anEmptiedTableGivesABurstsBuffersBackAndTakesMessagesAgain() {
        let clock = ManualClock()
        let table = InFlightTable()
        let burst = (1...(SlotArray<InFlightMessage>.keptCapacity + 1)).map { table.take(.request($0, receivedAt: clock.now), clock: clock) }
        #expect(table.slotCounts.slots == burst.count)
        for message in burst { table.remove(message) }
        #expect(table.slotCounts.slots == 0 && table.slotCounts.capacity == 0)

        let small = (1...10).map { table.take(.request($0, receivedAt: clock.now), clock: clock) }
        for message in small.dropLast() { table.remove(message) }
        #expect(table.all().map(\.delivery.id) == [small[9].delivery.id])
        table.remove(small[9])
        // A small table keeps its buffer, emptied, for the next messages.
        #expect(table.count == 0 && table.slotCounts.slots == 0 && table.slotCounts.capacity >= 10)
        let again = table.take(.request(11, receivedAt: clock.now), clock: clock)
        #expect(table.all().map(\.delivery.id) == [again.delivery.id])
    }
}
