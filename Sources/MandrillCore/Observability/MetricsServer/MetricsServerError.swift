/// Why the metrics server could not start. Sendable value type.
public struct MetricsServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable code of the failure.
    public enum Code: String, Sendable {
        /// The listen address is not `host:port` or `[ipv6]:port`.
        case invalidListenAddress
        /// The host did not resolve.
        case unresolvableHost
        /// socket, bind or listen failed (address in use, permission denied, …).
        case bindFailed
        /// `start()` was called twice, or after `stop()`.
        case notStartable
    }

    /// Stable code.
    public let code: Code
    /// One-line human message naming the address.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
