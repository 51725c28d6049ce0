/// The identity of one restart request, stable across redeliveries.
///
/// In-process ids look like `m-000000000042`; Redis Streams ids look like `1700000000000-0`.
public struct MessageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id as the broker spells it.
    public let rawValue: String

    /// Wraps a broker-assigned id.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
