import Testing
@testable import MandrillCore

/// The Redis subscription's bookkeeping: credits, entries in hand, queued settlements.
struct RedisStreamStateTests {
    @Test func creditsLeftOverFromASmallReadGoBack() {
        var state = RedisStreamState()
        state.credits = 10
        let first = state.reserve()
        let second = state.reserve()
        #expect(first == .reserved(10))
        #expect(second == .wait)
        let entries = (1...3).map { RedisStreamEntry(id: "\($0)-0", fields: ["host", "h\($0)"]) }
        let (deliveries, _) = state.accept(entries, attempts: ["2-0": 4], reserved: 10, releaseIdle: .seconds(60), now: .now)
        #expect(deliveries.map(\.attempt) == [1, 4, 1])
        #expect(state.credits == 7)
        #expect(state.held.count == 3)
    }

    @Test func anEntryAlreadyInHandIsNotHandedOutTwice() {
        var state = RedisStreamState()
        let entry = RedisStreamEntry(id: "1-0", fields: ["host", "h"])
        _ = state.accept([entry], attempts: [:], reserved: 1, releaseIdle: .seconds(60), now: .now)
        let (again, _) = state.accept([entry], attempts: [:], reserved: 1, releaseIdle: .seconds(60), now: .now)
        #expect(again.isEmpty)
        #expect(state.credits == 1, "the unused credit goes back")
    }

    @Test func entriesReadAfterIntakeStoppedAreReleasedNotHandedOut() {
        var state = RedisStreamState()
        state.intakeOpen = false
        let (deliveries, released) = state.accept(
            [RedisStreamEntry(id: "1-0", fields: ["host", "h"])], attempts: [:], reserved: 1, releaseIdle: .seconds(60),
            now: .now)
        #expect(deliveries.isEmpty)
        #expect(released)
        #expect(state.queued.releases == [.init(id: "1-0", idle: .seconds(60))])
    }

    @Test func deadLetterKeepsTheOriginalFieldsAndOnlyTheFirstQueuedSettlementWakesTheFlusher() {
        var state = RedisStreamState()
        _ = state.accept(
            [RedisStreamEntry(id: "1-0", fields: ["host", "h", "note", "n"]), RedisStreamEntry(id: "2-0", fields: ["host", "g"])],
            attempts: [:], reserved: 2, releaseIdle: .seconds(60), now: .now)
        let firstWakes = state.deadLetter("1-0", reason: "permanent: no such host", deliveryCount: 3)
        let secondWakes = state.ack("2-0")
        #expect(firstWakes && !secondWakes)
        #expect(state.queued.deadLetters == [
            RedisDeadLetter(id: "1-0", fields: ["host", "h", "note", "n"], reason: "permanent: no such host", deliveryCount: 3),
        ])
        #expect(state.held.isEmpty)
        let taken = state.takeQueued()
        #expect(state.sending == 2)
        state.requeue(taken)
        state.sent(taken.count)
        #expect(state.queued.count == 2 && state.sending == 0)
    }
}
