import Testing
@testable import MandrillCore

struct SlotArrayTests {
    /// Seeded random inserts, removes and in-place changes: the table always holds what a
    /// dictionary by slot holds, reuses freed slots, and lists the values in slot order.
    @Test func randomOperationsMatchADictionaryModel() {
        var generator = SplitMix64(seed: 53)
        var table = SlotArray<Int>()
        var model: [Int: Int] = [:]
        for value in 1...4_000 {
            let lowestFree = (0...).first { model[$0] == nil }!
            let slot = table.insert(value)
            #expect(model[slot] == nil, "slot \(slot) handed out twice")
            #expect(slot == lowestFree, "the lowest free slot is handed out")
            model[slot] = value
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                let victim = model.keys.randomElement(using: &generator)!
                let removed = table.remove(at: victim)
                #expect(removed == model.removeValue(forKey: victim))
                let again = table.remove(at: victim)
                #expect(again == nil && table[victim] == nil)
            case 1:
                let changed = model.keys.randomElement(using: &generator)!
                let result = table.modify(changed) { $0 += 1_000_000; return $0 }
                model[changed]! += 1_000_000
                let read = table.read(changed) { $0 }
                #expect(result == model[changed] && read == model[changed])
            default:
                break
            }
            #expect(table.count == model.count)
        }
        #expect(table.occupied.map(\.slot) == model.keys.sorted())
        #expect(table.occupied.map(\.element) == model.keys.sorted().map { model[$0]! })
        #expect(table.values == model.keys.sorted().map { model[$0]! })
        // Freed slots were reused, and free ones at the end dropped: the table ends at
        // its highest occupied slot.
        #expect(table.counts.slots == (model.keys.max() ?? -1) + 1)
        // Slots never handed out, or negative, hold nothing and change nothing.
        let beyond = table.modify(table.counts.slots + 5) { _ in true }
        let unread = table.read(table.counts.slots + 5) { _ in true }
        #expect(table[-1] == nil && table[table.counts.slots + 5] == nil && beyond == nil && unread == nil)
    }

    @Test func anEmptiedTableGivesABurstsBuffersBackAndKeepsASmallOnes() {
        var table = SlotArray<String>()
        let burst = (0...SlotArray<String>.keptCapacity).map { table.insert("v\($0)") }
        for slot in burst { table.remove(at: slot) }
        #expect(table.isEmpty && table.counts.slots == 0 && table.counts.capacity == 0)

        let small = (0..<10).map { table.insert("w\($0)") }
        #expect(small == Array(0..<10), "a fresh table hands out slots from zero")
        for slot in small { table.remove(at: slot) }
        #expect(table.isEmpty && table.counts.slots == 0 && table.counts.capacity >= 10)
        let modified = table.modify(3) { _ in true }
        #expect(table[3] == nil && modified == nil, "slots of an emptied table are gone")
    }

    /// A burst drained while one early slot stays taken (the lease keeper's sleep, a
    /// long restart): the table shrinks back to it and gives the burst's buffer back, and
    /// steady traffic afterwards stays in the lowest slots.
    @Test func aDrainedBurstShrinksBackWhileOneSlotStaysTaken() {
        var table = SlotArray<Int>()
        let burst = (0..<20_000).map { table.insert($0) }
        let capacity = table.counts.capacity
        for slot in burst.dropFirst() { table.remove(at: slot) }
        #expect(table.count == 1 && table[0] == 0)
        #expect(table.counts.slots == 1 && table.counts.capacity < capacity / 4)
        for value in 0..<1_000 {
            let slots = (0..<3).map { table.insert(value * 3 + $0) }
            #expect(slots == [1, 2, 3])
            for slot in slots.reversed() { table.remove(at: slot) }
        }
        #expect(table.counts.slots == 1 && table[0] == 0)
        // Drained in another order (from the end, a hole at the front freed early): the
        // same. The hole's free entry, past the end once the tail is dropped, is stale:
        // skipped, never handed out.
        let second = (0..<10_000).map { table.insert($0) }
        for slot in second.dropFirst(2).reversed() { table.remove(at: slot) }
        table.remove(at: second[0])
        #expect(table.counts.slots == 3 && table.count == 2)
        table.remove(at: second[1])
        #expect(table.counts.slots == 1 && table.count == 1)
        #expect(table.insert(-1) == 1 && table.insert(-2) == 2 && table.counts.slots == 3)
        #expect(table.occupied.map(\.element) == [0, -1, -2])
    }
}
