/// An incremental RESP2 reply parser: feed bytes with `append`, pull values with `next()`.
/// Sendable (a value type).
///
/// Replies may be split at any byte boundary. Each byte is examined about once: finished
/// elements of a partly received array are kept, and consumed bytes are skipped by an
/// index and compacted away occasionally, never copied per value. Malformed input and
/// replies beyond `limits` throw `RedisError.protocolError`; after that the parser keeps
/// throwing the same error, because the stream cannot be resynchronised.
public struct RESPParser: Sendable {
    /// The bounds this parser enforces.
    public let limits: Limits

    // Internal, not private, only so RESPParser+Scanning.swift can reach them.
    var buffer: [UInt8] = []
    var readIndex = 0
    // No CR or LF lies in readIndex + 1 ..< lineSearchIndex, so a long line arriving in
    // pieces is scanned once, not once per piece.
    var lineSearchIndex = 0
    private var openArrays: [PartialArray] = []
    private var failure: RedisError?

    private struct PartialArray: Sendable {
        var expected: Int
        var elements: [RESPValue]
    }

    /// Creates an empty parser.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// How many received bytes are not yet part of a returned value.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether no bytes are buffered and no value is partly parsed.
    public var isIdle: Bool { bufferedByteCount == 0 && openArrays.isEmpty }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete value, or `nil` if more bytes are needed.
    public mutating func next() throws(RedisError) -> RESPValue? {
        if let failure { throw failure }
        do {
            return try parseNextValue()
        } catch {
            failure = error
            throw error
        }
    }

    private enum Step {
        case needMoreBytes
        case openedArray
        case value(RESPValue)
    }

    private mutating func parseNextValue() throws(RedisError) -> RESPValue? {
        while true {
            switch try parseStep() {
            case .needMoreBytes:
                return nil
            case .openedArray:
                continue
            case .value(let value):
                if let complete = attach(value) { return complete }
            }
        }
    }

    // Adds a finished value to the innermost open array, closing every array it
    // completes; returns the top-level value once there is one.
    private mutating func attach(_ value: RESPValue) -> RESPValue? {
        var value = value
        while let last = openArrays.indices.last {
            openArrays[last].elements.append(value)
            guard openArrays[last].elements.count == openArrays[last].expected else { return nil }
            value = .array(openArrays.removeLast().elements)
        }
        return value
    }

    private mutating func parseStep() throws(RedisError) -> Step {
        guard readIndex < buffer.count else { return .needMoreBytes }
        let type = buffer[readIndex]
        let isNumeric = type == UInt8(ascii: ":") || type == UInt8(ascii: "$") || type == UInt8(ascii: "*")
        guard isNumeric || type == UInt8(ascii: "+") || type == UInt8(ascii: "-") else {
            throw .protocolError("unknown reply type byte \(hex(type))")
        }
        // A decimal Int never needs more than 20 characters.
        guard let lineEnd = try findLineEnd(maxLength: isNumeric ? 21 : limits.maxLineLength) else {
            return .needMoreBytes
        }
        let content = readIndex + 1 ..< lineEnd
        let afterLine = lineEnd + 2
        switch type {
        case UInt8(ascii: "+"):
            consume(upTo: afterLine)
            return .value(.simpleString(String(decoding: buffer[content], as: UTF8.self)))
        case UInt8(ascii: "-"):
            consume(upTo: afterLine)
            return .value(.error(String(decoding: buffer[content], as: UTF8.self)))
        case UInt8(ascii: ":"):
            let value = try integer(in: content, what: "integer reply")
            consume(upTo: afterLine)
            return .value(.integer(value))
        case UInt8(ascii: "$"):
            return try parseBulkString(length: integer(in: content, what: "bulk string length"), dataStart: afterLine)
        default:
            return try parseArrayHeader(count: integer(in: content, what: "array length"), afterLine: afterLine)
        }
    }

    private mutating func parseBulkString(length: Int, dataStart: Int) throws(RedisError) -> Step {
        if length == -1 {
            consume(upTo: dataStart)
            return .value(.bulkString(nil))
        }
        guard length >= 0 else { throw .protocolError("negative bulk string length \(length)") }
        guard length <= limits.maxBulkLength else {
            throw .protocolError("bulk string of \(length) bytes exceeds the limit of \(limits.maxBulkLength)")
        }
        let dataEnd = dataStart + length
        guard buffer.count >= dataEnd + 2 else { return .needMoreBytes }
        guard buffer[dataEnd] == cr, buffer[dataEnd + 1] == lf else {
            throw .protocolError("bulk string is not followed by CRLF")
        }
        let bytes = Array(buffer[dataStart ..< dataEnd])
        consume(upTo: dataEnd + 2)
        return .value(.bulkString(bytes))
    }

    private mutating func parseArrayHeader(count: Int, afterLine: Int) throws(RedisError) -> Step {
        if count == -1 || count == 0 {
            consume(upTo: afterLine)
            return .value(.array(count == 0 ? [] : nil))
        }
        guard count > 0 else { throw .protocolError("negative array length \(count)") }
        guard count <= limits.maxArrayCount else {
            throw .protocolError("array of \(count) elements exceeds the limit of \(limits.maxArrayCount)")
        }
        guard openArrays.count < limits.maxDepth else {
            throw .protocolError("arrays nested deeper than \(limits.maxDepth) levels")
        }
        var elements: [RESPValue] = []
        // Reserve only a little: the declared count is untrusted until elements arrive.
        elements.reserveCapacity(min(count, 1024))
        openArrays.append(PartialArray(expected: count, elements: elements))
        consume(upTo: afterLine)
        return .openedArray
    }
}
