import Testing
@testable import MandrillCore

/// Leases by slot: the delivery's ack id is its lease's slot and the grant's serial, and a
/// slot reused by another grant never lets an old delivery settle or extend the new lease.
struct InProcessLeasesTests {
    private let start = ContinuousClock.now

    private func pending(_ index: Int) -> InProcessBrokerState.Pending {
        .init(message: .request(index), deliveries: 1, availableAt: StoredInstant(start))
    }

    private func delivery(_ pending: InProcessBrokerState.Pending, ackID: Delivery.AckID) -> Delivery {
        Delivery(
            id: pending.message.id, attempt: pending.deliveries, payload: .restart(pending.message),
            received: StoredInstant(start), ackID: ackID)
    }

    @Test func aReusedSlotIsNotSettledOrExtendedByTheDeliveryThatHadItBefore() {
        var leases = InProcessLeases()
        let deadline = StoredInstant(start.advanced(by: .seconds(10)))
        let first = pending(1)
        let firstDelivery = delivery(first, ackID: leases.grant(first, until: deadline))
        let second = pending(2)
        let secondDelivery = delivery(second, ackID: leases.grant(second, until: deadline))
        #expect(leases.outstanding == 2 && firstDelivery.ackID.slot != secondDelivery.ackID.slot)

        #expect(leases.settle(firstDelivery)?.message.id == first.message.id)
        #expect(leases.settle(firstDelivery) == nil, "settled once")
        // The freed slot goes to the next message.
        let third = pending(3)
        let thirdDelivery = delivery(third, ackID: leases.grant(third, until: deadline))
        #expect(thirdDelivery.ackID.slot == firstDelivery.ackID.slot)
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

    /// The common case: a lease expires and the message is redelivered into the same
    /// slot; the first delivery's late ack settles nothing, the redelivery's does.
    @Test func aLateAckOfAnExpiredDeliverySettlesNotItsRedelivery() {
        var leases = InProcessLeases()
        var message = pending(1)
        let first = delivery(message, ackID: leases.grant(message, until: StoredInstant(start)))
        let redelivered = leases.expire(now: start.advanced(by: .seconds(1)))
        #expect(redelivered.map(\.message.id) == [message.message.id])
        message.deliveries += 1
        let second = delivery(message, ackID: leases.grant(message, until: StoredInstant(start.advanced(by: .seconds(60)))))
        #expect(second.ackID.slot == first.ackID.slot)
        #expect(leases.settle(first) == nil)
        #expect(leases.outstanding == 1)
        #expect(leases.settle(second)?.deliveries == 2)
    }

    /// Two copies of one message at the same attempt (published twice) are two grants: the
    /// first copy's late ack does not settle the second's lease in its slot.
    @Test func aLateAckDoesNotSettleAnotherCopyOfTheSameMessage() {
        var leases = InProcessLeases()
        let copy = pending(1)
        let first = delivery(copy, ackID: leases.grant(copy, until: StoredInstant(start)))
        _ = leases.expire(now: start.advanced(by: .seconds(1)))
        let second = delivery(copy, ackID: leases.grant(copy, until: StoredInstant(start.advanced(by: .seconds(60)))))
        #expect(second.ackID.slot == first.ackID.slot && second.attempt == first.attempt && second.id == first.id)
        #expect(leases.settle(first) == nil)
        #expect(leases.settle(second) != nil)
    }
}
