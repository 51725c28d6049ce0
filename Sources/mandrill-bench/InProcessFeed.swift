import MandrillCore

/// The in-process broker and its publisher, set up the way `DaemonBuilder` does but
/// unthrottled and for a fixed count.
struct InProcessFeed {
    let broker: InProcessBroker
    let publisher: InProcessPublisher

    /// A broker whose backlog bound follows `maxInFlight` (as in the daemon) and a
    /// publisher that publishes `messages` restart requests as fast as the broker takes them.
    init(messages: Int, maxInFlight: Int) {
        let lease = LeaseSettings()
        broker = InProcessBroker(settings: .init(
            ackDeadline: .seconds(double: lease.ackDeadlineSeconds), maxBacklog: max(10_000, maxInFlight * 2)))
        var settings = InProcessSettings()
        settings.publishRatePerSecond = 0
        settings.messages = messages
        settings.seed = 42
        publisher = InProcessPublisher(broker: broker, settings: settings, logger: .silent)
    }

    /// The rig over this feed.
    func rig(store: any StateStore, settings: PipelineRig<InProcessBroker>.Settings) -> PipelineRig<InProcessBroker> {
        let publisher = publisher
        return PipelineRig(
            feed: broker, publish: { stopWhen in try await publisher.run(stopWhen: stopWhen) }, store: store,
            settings: settings)
    }
}
