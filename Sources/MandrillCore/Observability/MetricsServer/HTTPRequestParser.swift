/// Accumulates bytes until a complete HTTP/1.x request head, rejecting garbage as early
/// as it can so a hostile client cannot hold a connection by dribbling junk.
struct HTTPRequestParser {
    /// What the bytes so far amount to.
    enum Outcome {
        /// The head is not complete yet.
        case needMore
        /// A well-formed head.
        case complete(HTTPRequestHead)
        /// Not HTTP (400) or too large (431): answer with this status and close.
        case rejected(status: Int)
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private let maxHeadBytes: Int
    private var buffer: [UInt8] = []

    /// Creates a parser that refuses heads longer than `maxHeadBytes`.
    init(maxHeadBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
    }

    /// Appends `bytes` and reports whether the head is complete, incomplete or refused.
    mutating func consume(_ bytes: some Sequence<UInt8>) -> Outcome {
        buffer.append(contentsOf: bytes)
        guard let headEnd = endOfHead() else {
            if let lineEnd = buffer.firstIndex(of: Self.lineFeed) {
                if Self.requestLine(Self.trimmed(buffer[..<lineEnd])) == nil { return .rejected(status: 400) }
            } else if !buffer.allSatisfy({ (0x20...0x7E).contains($0) || $0 == Self.carriageReturn }) {
                return .rejected(status: 400)
            }
            return buffer.count > maxHeadBytes ? .rejected(status: 431) : .needMore
        }
        guard headEnd <= maxHeadBytes else { return .rejected(status: 431) }
        guard let head = Self.head(buffer[..<headEnd]) else { return .rejected(status: 400) }
        return .complete(head)
    }

    /// Index just past the empty line ending the head (CRLF or bare LF line endings).
    private func endOfHead() -> Int? {
        var index = buffer.firstIndex(of: Self.lineFeed)
        while let lineFeed = index {
            var next = lineFeed + 1
            if next < buffer.count, buffer[next] == Self.carriageReturn { next += 1 }
            if next < buffer.count, buffer[next] == Self.lineFeed { return next + 1 }
            index = buffer[(lineFeed + 1)...].firstIndex(of: Self.lineFeed)
        }
        return nil
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == carriageReturn ? line.dropLast() : line
    }

    private static func head(_ bytes: ArraySlice<UInt8>) -> HTTPRequestHead? {
        let lines = bytes.split(separator: lineFeed, omittingEmptySubsequences: false)
            .map(trimmed).prefix { !$0.isEmpty }
        guard let first = lines.first, let (method, target, version) = requestLine(first) else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                  !line[..<colon].isEmpty, line[..<colon].allSatisfy(isTokenByte),
                  line[(colon + 1)...].allSatisfy({ $0 == 0x09 || $0 >= 0x20 && $0 != 0x7F })
            else { return nil }
            let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            let end = value.lastIndex { $0 != 0x20 && $0 != 0x09 }.map { $0 + 1 } ?? value.startIndex
            headers.append((String(decoding: line[..<colon], as: UTF8.self),
                            String(decoding: value[..<end], as: UTF8.self)))
        }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers)
    }

    /// `METHOD SP /target SP HTTP/1.x`, or nil.
    private static func requestLine(_ line: ArraySlice<UInt8>) -> (String, String, String)? {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              parts[1].first == UInt8(ascii: "/"), parts[1].allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return nil }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), version)
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
