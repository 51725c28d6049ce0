/// Bounds that keep slow or hostile clients from tying up the metrics server.
/// Sendable value type.
public struct MetricsServerLimits: Sendable, Equatable {
    /// Largest request line plus headers; a bigger head gets 431 and the connection closes.
    public var maxHeadBytes: Int
    /// Time allowed to receive the whole request head; after it the connection closes.
    public var readTimeout: Duration
    /// Time allowed to send the response.
    public var writeTimeout: Duration
    /// Connections served at once; more are answered 503 and closed.
    public var maxConnections: Int
    /// How long `stop()` waits for the server's threads to finish.
    public var stopTimeout: Duration

    /// Creates limits; the defaults suit a Prometheus scraper on loopback.
    public init(
        maxHeadBytes: Int = 8192, readTimeout: Duration = .seconds(5), writeTimeout: Duration = .seconds(5),
        maxConnections: Int = 16, stopTimeout: Duration = .seconds(2)
    ) {
        precondition(maxHeadBytes > 0 && maxConnections > 0, "metrics server limits must be positive")
        self.maxHeadBytes = maxHeadBytes
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
        self.stopTimeout = stopTimeout
    }
}
