import Testing
@testable import MandrillCore

extension PubSubMessage {
    /// Restart request number `index` for `cattle-<index>.example.net`, id `m-<index>`.
    static func request(_ index: Int, prefix: String = "m") -> PubSubMessage {
        PubSubMessage(
            id: MessageID("\(prefix)-\(index)"), instanceName: "cattle-\(index)",
            hostname: "cattle-\(index).example.net", publishTime: 0)
    }
}

extension Delivery {
    /// The first delivery of `PubSubMessage.request(index)`, received at `receivedAt`.
    static func request(_ index: Int, attempt: Int = 1, receivedAt: ContinuousClock.Instant) -> Delivery {
        let message = PubSubMessage.request(index)
        return Delivery(id: message.id, attempt: attempt, payload: .restart(message), receivedAt: receivedAt)
    }
}

extension MessageHandler {
    /// A handler with default retry settings and a silent logger, for component tests.
    static func forTesting(
        subscription: any Subscription, restarter: any HostRestarter, store: any StateStore = InMemoryStateStore(),
        clock: any MandrillClock, saveAttempts: Int = 5, observer: any ConsumerObserver = NoConsumerObserver()
    ) -> MessageHandler {
        MessageHandler(
            subscription: subscription, restarter: restarter, store: store,
            settings: .init(retry: RetryPolicy(RetrySettings()), saveAttempts: saveAttempts), clock: clock, logger: .silent,
            observer: observer)
    }
}

extension InFlightTable {
    /// Takes `delivery` in hand with a 10 s lease, as the consumer does.
    func take(_ delivery: Delivery, clock: ManualClock) -> InFlightMessage {
        insert(delivery, now: clock.now, leaseDeadline: clock.now + .seconds(10))
    }
}

extension InProcessBroker {
    /// Publishes one request (`m-1`) and takes its delivery.
    func deliverOne() async throws -> Delivery {
        request(1)
        await publish([.request(1)])
        var iterator = deliveries.makeAsyncIterator()
        return try #require(await iterator.next()?.first)
    }
}
