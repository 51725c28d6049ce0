import Testing
@testable import MandrillCore

/// Leases by slot: the delivery's slot is its ack id, and a slot reused by another
/// message never lets an old delivery settle or extend the new lease.
struct InProcessLeasesTests {
    private let start = ContinuousClock.now

    private func pending(_ index: Int) -> InProcessBrokerState.Pending {
        .init(message: .request(index), deliveries: 1, availableAt: StoredInstant(start))
    }

    private func delivery(_ pending: InProcessBrokerState.Pending, slot: Int) -> Delivery {
        Delivery(
            id: pending.message.id, attempt: pending.deliveries, payload: .restart(pending.message),
            received: StoredInstant(start), leaseSlot: slot)
    }

    @Test func aReusedSlotIsNotSettledOrExtendedByTheDeliveryThatHadItBefore() {
        var leases = InProcessLeases()
        let deadline = StoredInstant(start.advanced(by: .seconds(10)))
        let first = pending(1)
        let firstDelivery = delivery(first, slot: leases.grant(first, until: deadline))
        let second = pending(2)
        let secondDelivery = delivery(second, slot: leases.grant(second, until: deadline))
        #expect(leases.outstanding == 2 && firstDelivery.leaseSlot != secondDelivery.leaseSlot)

        #expect(leases.settle(firstDelivery)?.message.id == first.message.id)
        #expect(leases.settle(firstDelivery) == nil, "settled once")
        // The freed slot goes to the next message.
        let third = pending(3)
        let thirdDelivery = delivery(third, slot: leases.grant(third, until: deadline))
        #expect(thirdDelivery.leaseSlot == firstDelivery.leaseSlot)
        #expect(leases.settle(firstDelivery) == nil, "the slot's old delivery settles nothing")
        // A delivery that no lease handed out (another subscription's) settles nothing.
        let foreign = Delivery(id: third.message.id, attempt: 1, payload: .restart(third.message))
        #expect(leases.settle(foreign) == nil)
        #expect(leases.outstanding == 2)

        // Extending through the old delivery leaves the new lease's deadline alone.
        leases.extend([firstDelivery], to: start.advanced(by: .seconds(60)))
        leases.extend([secondDelivery], to: start.advanced(by: .seconds(60)))
        let expired = leases.expire(now: start.advanced(by: .seconds(30)))
        #expect(expired.map(\.message.id) == [third.message.id])
        #expect(leases.outstanding == 1 && leases.expired == 1)
        #expect(leases.settle(thirdDelivery) == nil, "expired: its ack comes too late")
        #expect(leases.settle(secondDelivery)?.message.id == second.message.id)
        #expect(leases.outstanding == 0)
    }
}
