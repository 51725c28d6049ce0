/// Encodes commands as RESP2 arrays of bulk strings. A namespace with no instances, so
/// Sendable does not apply.
///
/// The `into:` variants append to a buffer, so a pipeline is built by encoding several
/// commands into one buffer and writing it once.
public enum RESPEncoder {
    /// The encoding of one command, e.g. `["GET", "k"]` → `*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`.
    public static func encode(_ command: [String]) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(command, into: &buffer)
        return buffer
    }

    /// The encoding of one command whose arguments are raw bytes.
    public static func encode(_ command: [[UInt8]]) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(command, into: &buffer)
        return buffer
    }

    /// Appends the encoding of one command to `buffer`.
    public static func encode(_ command: [String], into buffer: inout [UInt8]) {
        appendHeader(UInt8(ascii: "*"), command.count, into: &buffer)
        for argument in command {
            appendHeader(UInt8(ascii: "$"), argument.utf8.count, into: &buffer)
            buffer.append(contentsOf: argument.utf8)
            buffer.append(contentsOf: crlf)
        }
    }

    /// Appends the encoding of one command whose arguments are raw bytes to `buffer`.
    public static func encode(_ command: [[UInt8]], into buffer: inout [UInt8]) {
        appendHeader(UInt8(ascii: "*"), command.count, into: &buffer)
        for argument in command {
            appendHeader(UInt8(ascii: "$"), argument.count, into: &buffer)
            buffer.append(contentsOf: argument)
            buffer.append(contentsOf: crlf)
        }
    }

    private static let crlf: [UInt8] = [13, 10]

    private static func appendHeader(_ type: UInt8, _ count: Int, into buffer: inout [UInt8]) {
        buffer.append(type)
        buffer.append(contentsOf: String(count).utf8)
        buffer.append(contentsOf: crlf)
    }
}
