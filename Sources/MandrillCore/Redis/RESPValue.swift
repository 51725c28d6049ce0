/// One RESP2 value: a reply from Redis. Sendable.
public enum RESPValue: Sendable, Hashable, CustomStringConvertible {
    /// A status reply such as `+OK`.
    case simpleString(String)
    /// An error reply such as `-ERR unknown command`; the text after the `-`.
    case error(String)
    /// An integer reply such as `:42`.
    case integer(Int)
    /// A bulk string; `nil` is the null bulk string (`$-1`).
    case bulkString([UInt8]?)
    /// An array; `nil` is the null array (`*-1`).
    case array([RESPValue]?)

    /// A bulk string holding the UTF-8 bytes of `text`.
    public static func bulk(_ text: String) -> RESPValue {
        .bulkString(Array(text.utf8))
    }

    /// The text of a simple string, or of a bulk string that is valid UTF-8.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(validating: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The raw bytes of a bulk string or simple string.
    public var bytes: [UInt8]? {
        switch self {
        case .simpleString(let text): Array(text.utf8)
        case .bulkString(let bytes?): bytes
        default: nil
        }
    }

    /// An integer reply, or a string reply that spells a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .simpleString, .bulkString: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of a non-null array.
    public var array: [RESPValue]? {
        if case .array(let elements?) = self { return elements }
        return nil
    }

    /// Whether this is the null bulk string or the null array.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// Whether this is an error reply.
    public var isError: Bool { errorMessage != nil }

    /// The value in the style of `redis-cli`, for logs and test failures.
    public var description: String {
        switch self {
        case .simpleString(let text): text
        case .error(let message): "(error) \(message)"
        case .integer(let value): "(integer) \(value)"
        case .bulkString(nil), .array(nil): "(nil)"
        case .bulkString(let bytes?): "\"\(String(decoding: bytes, as: UTF8.self))\""
        case .array(let elements?): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
