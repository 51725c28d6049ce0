/// The bytes a child wrote to one stream, up to a cap.
///
/// Sendable: a value type.
public struct CapturedOutput: Sendable, Equatable {
    /// The bytes kept, at most the cap the child was run with.
    public private(set) var bytes: [UInt8]
    /// Whether the child wrote more than the cap; the excess was read and discarded.
    public private(set) var truncated: Bool

    /// Creates captured output, empty by default.
    public init(bytes: [UInt8] = [], truncated: Bool = false) {
        self.bytes = bytes
        self.truncated = truncated
    }

    /// The bytes as text; invalid UTF-8 is replaced, never fatal.
    public var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Keeps what fits under `limit` and marks the rest as discarded.
    mutating func append(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        let room = max(0, limit - bytes.count)
        if chunk.count > room {
            truncated = true
        }
        bytes.append(contentsOf: chunk.prefix(room))
    }
}
