import Testing
@testable import MandrillCore

struct SleeperSlotsTests {
    typealias Slots = SleeperSlots<Int>

    // `#expect` takes no mutating calls: each result is taken first.

    @Test func aWaiterIsWokenOnceAndItsTicketGoesStaleWhenTheSlotIsReused() {
        var slots = Slots()
        let first = slots.reserve()
        let firstWaits = slots.wait(first, 1)
        #expect(firstWaits)
        #expect(slots.waiting == 1 && slots.isWaiting(first))
        let woken = slots.wake(first)
        let wokenAgain = slots.wake(first)
        #expect(woken == 1)
        #expect(wokenAgain == nil, "woken once")
        #expect(slots.waiting == 0 && !slots.isWaiting(first))

        // The slot goes to the next sleep; the old ticket reaches nothing.
        let second = slots.reserve()
        #expect(second.slot == first.slot && second.serial != first.serial)
        let secondWaits = slots.wait(second, 2)
        let lateCancel = slots.cancel(first)
        let lateWake = slots.wake(first)
        #expect(secondWaits)
        #expect(lateCancel == nil, "a late cancellation of the first sleep")
        #expect(lateWake == nil)
        #expect(slots.isWaiting(second))
        let cancelled = slots.cancel(second)
        let cancelledAgain = slots.cancel(second)
        #expect(cancelled == 2)
        #expect(cancelledAgain == nil, "cancelled once")
        #expect(slots.waiting == 0)
    }

    @Test func aSleepCancelledBeforeItWaitsIsRefusedAndFreesItsSlot() {
        var slots = Slots()
        let ticket = slots.reserve()
        let early = slots.cancel(ticket)
        let waits = slots.wait(ticket, 1)
        let woken = slots.wake(ticket)
        #expect(early == nil, "nothing to end yet")
        #expect(!waits, "the sleep ends at once instead")
        #expect(slots.waiting == 0 && slots.counts.taken == 0)
        #expect(woken == nil)
    }

    /// Seeded random reserves, waits, wakes and cancellations (some stale): the slots
    /// always agree with a model of who is waiting.
    @Test func randomOperationsMatchAModel() {
        var generator = SplitMix64(seed: 41)
        var slots = Slots()
        var waiting: [(ticket: Slots.Ticket, value: Int)] = []
        var ended: [Slots.Ticket] = []
        for value in 1...5_000 {
            let ticket = slots.reserve()
            let waits = slots.wait(ticket, value)
            #expect(waits)
            waiting.append((ticket, value))
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                let expected = waiting.remove(at: Int.random(in: 0..<waiting.count, using: &generator))
                let woken = slots.wake(expected.ticket)
                #expect(woken == expected.value)
                ended.append(expected.ticket)
            case 1:
                let expected = waiting.remove(at: Int.random(in: 0..<waiting.count, using: &generator))
                let cancelled = slots.cancel(expected.ticket)
                #expect(cancelled == expected.value)
                ended.append(expected.ticket)
            case 2 where !ended.isEmpty:
                let stale = ended[Int.random(in: 0..<ended.count, using: &generator)]
                let cancelled = slots.cancel(stale)
                let woken = slots.wake(stale)
                #expect(cancelled == nil && woken == nil)
            default:
                break
            }
            #expect(slots.waiting == waiting.count)
            #expect(slots.counts.taken == waiting.count)
        }
        for expected in waiting {
            #expect(slots.isWaiting(expected.ticket))
            let woken = slots.wake(expected.ticket)
            #expect(woken == expected.value)
        }
        #expect(slots.waiting == 0 && slots.counts.taken == 0)
    }

    @Test func aBurstsBuffersGoBackOnceEverySlotIsFree() {
        var slots = Slots()
        var burst: [Slots.Ticket] = []
        for value in 0...SlotArray<Int>.keptCapacity {
            let ticket = slots.reserve()
            _ = slots.wait(ticket, value)
            burst.append(ticket)
        }
        for ticket in burst { _ = slots.wake(ticket) }
        #expect(slots.counts.capacity == 0)

        var small: [Slots.Ticket] = []
        for value in 0..<10 {
            let ticket = slots.reserve()
            _ = slots.wait(ticket, value)
            small.append(ticket)
        }
        for ticket in small { _ = slots.cancel(ticket) }
        #expect(slots.counts.taken == 0 && slots.counts.capacity >= 10, "a small buffer is kept")
        // Tickets from before a release stay stale.
        let oldWake = slots.wake(burst[3])
        let oldCancel = slots.cancel(small[2])
        #expect(oldWake == nil && oldCancel == nil)
    }
}
