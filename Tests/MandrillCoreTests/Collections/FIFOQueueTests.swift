import Testing
@testable import MandrillCore

/// `FIFOQueue` against an array model, through appends, pops (past the point where the
/// consumed prefix is reclaimed) and prepends of batches, with and without room in front.
struct FIFOQueueTests {
    @Test func matchesAnArrayThroughAppendsPopsAndPrependedBatches() {
        var generator = SplitMix64(seed: 7)
        var queue = FIFOQueue<Int>()
        var model: [Int] = []
        var next = 0
        for _ in 0..<20_000 {
            switch UInt64.random(in: 0..<10, using: &generator) {
            case 0..<5:
                queue.append(next)
                model.append(next)
                next += 1
            case 5..<9:
                #expect(queue.popFirst() == model.first)
                if !model.isEmpty { model.removeFirst() }
            default:
                let batch = Array(next..<next + Int.random(in: 0...40, using: &generator))
                next += batch.count
                queue.prepend(contentsOf: batch)
                model.insert(contentsOf: batch, at: 0)
            }
            #expect(queue.count == model.count && queue.isEmpty == model.isEmpty)
        }
        var drained: [Int] = []
        while let element = queue.popFirst() { drained.append(element) }
        #expect(drained == model)
    }
}
