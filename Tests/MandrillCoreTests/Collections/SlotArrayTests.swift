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
            let slot = table.insert(value)
            #expect(model[slot] == nil, "slot \(slot) handed out twice")
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
        // Freed slots were reused: no more slots than values held, plus at most one free.
        #expect(table.counts.slots <= model.count + 1)
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
}
