/// Restarts one host. Implementations must honour task cancellation promptly (the drain
/// deadline and lease expiry cancel a restart) by throwing `CancellationError`.
public protocol HostRestarter: Sendable {
    /// Restarts the host named in `request`; returns when it is back, throws
    /// `RestartError` when it failed, `CancellationError` when cancelled.
    func restart(_ request: RestartRequest) async throws
}

/// What a restarter is asked to do.
public struct RestartRequest: Sendable, Equatable {
    /// The message asking for the restart.
    public let messageID: MessageID
    /// Fully qualified hostname.
    public let hostname: String
    /// Short instance name.
    public let instanceName: String
    /// Delivery attempt of the message (1-based).
    public let attempt: Int

    /// Creates a request.
    public init(messageID: MessageID, hostname: String, instanceName: String, attempt: Int) {
        self.messageID = messageID
        self.hostname = hostname
        self.instanceName = instanceName
        self.attempt = attempt
    }
}

/// A failed restart: retryable (try again later) or permanent (dead-letter now).
public struct RestartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether trying again can help.
    public enum Kind: String, Sendable {
        /// A transient failure; the handler retries with backoff.
        case retryable
        /// A failure that retrying cannot fix; the message is dead-lettered.
        case permanent
    }

    /// Retryable or permanent.
    public let kind: Kind
    /// One-line reason, for logs and the journal.
    public let reason: String
    /// Last lines of the command's output, when there was a command.
    public let outputTail: String

    /// Creates a restart error.
    public init(_ kind: Kind, _ reason: String, outputTail: String = "") {
        self.kind = kind
        self.reason = reason
        self.outputTail = outputTail
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}
