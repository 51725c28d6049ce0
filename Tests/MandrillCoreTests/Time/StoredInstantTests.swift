import Testing
@testable import MandrillCore

struct StoredInstantTests {
    @Test func roundTripsExactlyAndKeepsOrderAndDistances() {
        let now = ContinuousClock.now
        let instants = [
            now, now.advanced(by: .nanoseconds(1)), now.advanced(by: .seconds(3600)),
            now.advanced(by: .seconds(-86_400)), now.advanced(by: .seconds(1) / 3),
        ]
        for instant in instants {
            #expect(StoredInstant(instant).instant == instant)
        }
        for first in instants {
            for second in instants {
                let (a, b) = (StoredInstant(first), StoredInstant(second))
                #expect((a < b) == (first < second))
                #expect((a == b) == (first == second))
                #expect(a.duration(to: b) == first.duration(to: second))
            }
        }
    }

    @Test func aDeliveryReportsTheInstantItWasReceivedAt() {
        let received = ContinuousClock.now.advanced(by: .milliseconds(-250))
        let delivery = Delivery(id: MessageID("1-0"), attempt: 1, payload: .malformed(reason: "x"), receivedAt: received)
        #expect(delivery.receivedAt == received)
    }
}
