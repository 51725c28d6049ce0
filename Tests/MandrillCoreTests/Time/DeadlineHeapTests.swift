import Testing
@testable import MandrillCore

struct DeadlineHeapTests {
    private func entry(_ milliseconds: Int, id: UInt64) -> DeadlineHeap.Entry {
        .init(deadline: Int64(milliseconds) * 1_000_000, id: id)
    }

    private func drain(_ heap: inout DeadlineHeap) -> [UInt64] {
        var ids: [UInt64] = []
        while let first = heap.removeFirst() { ids.append(first.id) }
        return ids
    }

    @Test func sleepersComeOutEarliestDeadlineFirstAndTiesInArrivalOrder() {
        var generator = SplitMix64(seed: 11)
        var heap = DeadlineHeap()
        var expected: [(Int, UInt64)] = []
        for id in UInt64(1)...500 {
            let milliseconds = Int.random(in: 0..<50, using: &generator)
            heap.insert(entry(milliseconds, id: id))
            expected.append((milliseconds, id))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        #expect(heap.count == 500)
        #expect(drain(&heap) == expected.map(\.1))
        #expect(heap.isEmpty && heap.first == nil)
    }

    @Test func droppingCancelledSleepersKeepsTheRestInOrder() {
        var heap = DeadlineHeap()
        for id in UInt64(1)...100 {
            heap.insert(entry(Int(100 - id), id: id))
        }
        heap.retain { $0.id % 3 == 0 }
        #expect(drain(&heap) == stride(from: 99, through: 3, by: -3).map(UInt64.init))
    }
}
