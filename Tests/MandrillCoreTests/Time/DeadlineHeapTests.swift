import Testing
@testable import MandrillCore

struct DeadlineHeapTests {
    /// Each entry carries its id as its value too, so that a mixed-up value shows.
    typealias Heap = DeadlineHeap<UInt64>

    private func entry(_ milliseconds: Int, id: UInt64) -> Heap.Entry {
        .init(deadline: Int64(milliseconds) * 1_000_000, id: id, value: id)
    }

    private func drain(_ heap: inout Heap) -> [UInt64] {
        var ids: [UInt64] = []
        while let first = heap.removeFirst() {
            #expect(first.value == first.id)
            ids.append(first.id)
        }
        return ids
    }

    @Test func sleepersComeOutEarliestDeadlineFirstAndTiesInArrivalOrder() {
        var generator = SplitMix64(seed: 11)
        var heap = Heap()
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
        var heap = Heap()
        for id in UInt64(1)...100 {
            heap.insert(entry(Int(100 - id), id: id))
        }
        heap.retain { $0.id % 3 == 0 }
        #expect(drain(&heap) == stride(from: 99, through: 3, by: -3).map(UInt64.init))
    }

    /// Feeds `count` entries whose deadlines (ms) `arrival` picks, removes the earliest
    /// one time in `removeOneIn` and drops ids divisible by `dropDivisor` every
    /// `dropEvery` arrivals, checking the heap against a sorted model all along; returns
    /// the heap as it stands (its drained copy was checked too).
    private func checkAgainstModel(
        seed: UInt64, count: UInt64, removeOneIn: Int, dropEvery: UInt64, dropDivisor: UInt64,
        arrival: (inout SplitMix64) -> Int
    ) -> Heap {
        var generator = SplitMix64(seed: seed)
        var heap = Heap()
        var model: [Heap.Entry] = []
        for id in UInt64(1)...count {
            let new = entry(arrival(&generator), id: id)
            heap.insert(new)
            model.append(new)
            model.sort { $0.precedes($1) }
            #expect(heap.first == model.first)
            if Int.random(in: 0..<removeOneIn, using: &generator) == 0 {
                #expect(heap.removeFirst() == model.removeFirst())
            }
            if id % dropEvery == 0 {
                heap.retain { $0.id % dropDivisor != 0 }
                model.removeAll { $0.id % dropDivisor == 0 }
            }
            #expect(heap.count == model.count)
        }
        var drained = heap
        #expect(drain(&drained) == model.map(\.id))
        return heap
    }

    /// Mostly in-order arrivals (a run) with some earlier ones (the heap), removals in
    /// between and bulk drops of cancelled entries: always the same order as a sorted model.
    @Test func interleavedArrivalsRemovalsAndDropsMatchASortedModel() {
        var clock = 0
        var heap = checkAgainstModel(seed: 29, count: 3_000, removeOneIn: 3, dropEvery: 1_000, dropDivisor: 7) { generator in
            // Deadlines mostly move forward (one restart latency); one in five is earlier.
            clock += Int.random(in: 0..<3, using: &generator)
            return Int.random(in: 0..<5, using: &generator) == 0
                ? clock - Int.random(in: 1..<40, using: &generator) : clock + 100
        }
        _ = drain(&heap)
        // Emptied, it takes entries again.
        heap.insert(entry(5, id: 9_001))
        heap.insert(entry(1, id: 9_002))
        #expect(drain(&heap) == [9_002, 9_001])
    }

    /// Sleepers of several latencies interleaved (restarts, the lease keeper, the broker's
    /// tick, backoffs) — more of them than there are in-order runs — with removals and bulk
    /// drops: always the order of a sorted model.
    @Test func interleavedLatenciesBeyondTheRunsMatchASortedModel() {
        let latencies = [1_000, 3_000, 50, 200, 7]
        var clock = 0
        _ = checkAgainstModel(seed: 71, count: 4_000, removeOneIn: 4, dropEvery: 1_500, dropDivisor: 5) { generator in
            clock += Int.random(in: 0..<2, using: &generator)
            return clock + latencies[Int.random(in: 0..<latencies.count, using: &generator)]
        }
    }
}
