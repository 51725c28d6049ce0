/// Why a Redis operation failed. Sendable.
///
/// Messages never contain a password: URL errors do not echo the URL, and server
/// messages received during authentication are scrubbed of the configured password.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint URL could not be parsed; the reason names the part that is wrong.
    case invalidURL(String)
    /// No connection could be established (refused, unreachable, DNS, connect timeout,
    /// or a failing `SELECT`).
    case connectFailed(String)
    /// The server rejected `AUTH`.
    case authenticationFailed(String)
    /// A read or write did not complete within its timeout; the connection is broken.
    case timeout
    /// A socket call failed with an errno other than a closed connection; the
    /// connection is broken.
    case ioFailed(String)
    /// The connection was closed (by `close()`, by cancellation, by the server, or after
    /// an earlier failure) and can no longer be used.
    case connectionClosed
    /// The server sent bytes that are not valid RESP2, or a reply exceeded a limit.
    case protocolError(String)
    /// The server answered a command with an error reply (`-ERR ...`).
    case server(String)

    /// One line for a log; never contains a password.
    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .connectFailed(let reason): "cannot connect to Redis: \(reason)"
        case .authenticationFailed(let reason): "Redis authentication failed: \(reason)"
        case .timeout: "Redis did not answer within the timeout"
        case .ioFailed(let reason): "Redis I/O failed: \(reason)"
        case .connectionClosed: "Redis connection closed"
        case .protocolError(let reason): "Redis protocol error: \(reason)"
        case .server(let message): "Redis error reply: \(message)"
        }
    }

    /// Any error seen as a `RedisError`; cancellation becomes `.connectionClosed`,
    /// because a cancelled call leaves its connection unusable.
    static func wrapping(_ error: any Error) -> RedisError {
        if let redisError = error as? RedisError { return redisError }
        if error is CancellationError { return .connectionClosed }
        return .protocolError(String(describing: error))
    }
}
