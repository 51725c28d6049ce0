/// A restart request: "restart this host", as published to the subscription.
public struct PubSubMessage: Sendable, Equatable {
    /// Broker-assigned id.
    public let id: MessageID
    /// Short instance name, for example `cattle-k3x9`.
    public let instanceName: String
    /// Fully qualified hostname to restart, for example `cattle-k3x9.example.net`.
    public let hostname: String
    /// When the publisher created the request, in seconds since the Unix epoch.
    public let publishTime: Double

    /// Creates a restart request.
    public init(id: MessageID, instanceName: String, hostname: String, publishTime: Double) {
        self.id = id
        self.instanceName = instanceName
        self.hostname = hostname
        self.publishTime = publishTime
    }
}
