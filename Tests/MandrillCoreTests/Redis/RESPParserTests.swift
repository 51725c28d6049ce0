import Testing
@testable import MandrillCore

@Suite struct RESPParserTests {
    private static let corpus: [(bytes: String, value: RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-9223372036854775808\r\n", .integer(Int.min)),
        (":9223372036854775807\r\n", .integer(Int.max)),
        ("$5\r\nhello\r\n", .bulk("hello")),
        ("$0\r\n\r\n", .bulkString([])),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("$-1\r\n", .bulkString(nil)),
        ("*-1\r\n", .array(nil)),
        ("*0\r\n", .array([])),
        ("*3\r\n:1\r\n$1\r\nx\r\n+y\r\n", .array([.integer(1), .bulk("x"), .simpleString("y")])),
        ("*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*0\r\n",
         .array([.array([.bulk("1-0"), .array([.bulk("f"), .bulk("v")])]), .array([])])),
        ("*3\r\n$-1\r\n*-1\r\n-WRONGTYPE x\r\n", .array([.bulkString(nil), .array(nil), .error("WRONGTYPE x")])),
    ]

    private static var corpusBytes: [UInt8] { corpus.flatMap { Array($0.bytes.utf8) } }

    private func parseAll(_ chunks: [ArraySlice<UInt8>], limits: RESPParser.Limits = .init()) throws -> [RESPValue] {
        var parser = RESPParser(limits: limits)
        var values: [RESPValue] = []
        for chunk in chunks {
            parser.append(chunk)
            while let value = try parser.next() { values.append(value) }
        }
        #expect(parser.isIdle)
        return values
    }

    private func parseError(_ text: String, limits: RESPParser.Limits = .init()) -> RedisError? {
        var parser = RESPParser(limits: limits)
        parser.append(Array(text.utf8))
        do {
            while try parser.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func everyReplyTypeParses() throws {
        for (bytes, value) in Self.corpus {
            #expect(try parseAll([ArraySlice(bytes.utf8)]) == [value], "\(bytes.debugDescription)")
        }
    }

    @Test func repliesFedOneByteAtATimeParseIdentically() throws {
        let bytes = Self.corpusBytes
        let chunks = bytes.indices.map { bytes[$0 ... $0] }
        #expect(try parseAll(chunks) == Self.corpus.map(\.value))
    }

    @Test func repliesSplitAtEveryByteBoundaryParseIdentically() throws {
        let bytes = Self.corpusBytes
        for split in 0 ... bytes.count {
            #expect(try parseAll([bytes[..<split], bytes[split...]]) == Self.corpus.map(\.value), "split at \(split)")
        }
    }

    @Test func incompleteReplyYieldsNothingUntilTheRestArrives() throws {
        var parser = RESPParser()
        parser.append(Array("*2\r\n$3\r\nfoo\r\n$3\r\nba".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("r\r\n".utf8))
        #expect(try parser.next() == .array([.bulk("foo"), .bulk("bar")]))
        #expect(try parser.next() == nil)
    }

    @Test func oversizedBulkLengthIsRejected() {
        let error = parseError("$1025\r\n", limits: .init(maxBulkLength: 1024))
        #expect(error == .protocolError("bulk string of 1025 bytes exceeds the limit of 1024"))
        #expect(parseError("$536870913\r\n") != nil)
        #expect(parseError("$99999999999999999999999\r\n") != nil)
    }

    @Test func oversizedArrayCountIsRejected() {
        #expect(parseError("*11\r\n", limits: .init(maxArrayCount: 10)) != nil)
        #expect(parseError("*1048577\r\n") != nil)
    }

    @Test func nestingBeyondTheDepthLimitIsRejected() throws {
        #expect(parseError(String(repeating: "*1\r\n", count: 4) + ":1\r\n", limits: .init(maxDepth: 3)) != nil)
        let nested = try parseAll([ArraySlice((String(repeating: "*1\r\n", count: 3) + ":1\r\n").utf8)], limits: .init(maxDepth: 3))
        #expect(nested == [.array([.array([.array([.integer(1)])])])])
    }

    @Test(arguments: [
        "?what\r\n",           // unknown type byte
        "GET / HTTP/1.1\r\n",  // not Redis at all
        ":12a\r\n",            // non-numeric integer
        "$abc\r\nabc\r\n",     // non-numeric length
        "$\r\n",               // empty length
        "$-2\r\n",             // negative length
        "*-5\r\n",             // negative count
        ":-\r\n",              // sign without digits
        ":+1\r\n",             // explicit plus sign
        "$3\r\nfooXY",         // bulk data without CRLF
        "+OK\nnext",           // bare line feed
        "+OK\rX\n",            // carriage return without line feed
        ":99999999999999999999\r\n", // overflows Int
    ])
    func garbageIsRejectedWithAnError(input: String) {
        guard case .protocolError? = parseError(input) else {
            Issue.record("expected a protocol error for \(input.debugDescription)")
            return
        }
    }

    @Test func overlongLineWithoutCRLFIsRejected() {
        #expect(parseError("+" + String(repeating: "a", count: 100), limits: .init(maxLineLength: 64)) != nil)
        #expect(parseError(":" + String(repeating: "1", count: 30)) != nil)
    }

    @Test func parserKeepsFailingAfterAnError() {
        var parser = RESPParser()
        parser.append(Array("!oops\r\n+OK\r\n".utf8))
        #expect(throws: RedisError.self) { try parser.next() }
        #expect(throws: RedisError.self) { try parser.next() }
    }

    @Test func largeReplyArrivingInChunksParses() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "z"), count: 300_000)
        var bytes = Array("*2\r\n$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        bytes += Array("*1000\r\n".utf8) + (0 ..< 1000).flatMap { Array(":\($0)\r\n".utf8) }
        let chunks = stride(from: 0, to: bytes.count, by: 4096).map { bytes[$0 ..< min($0 + 4096, bytes.count)] }
        let values = try parseAll(Array(chunks))
        #expect(values == [.array([.bulkString(payload), .array((0 ..< 1000).map { .integer($0) })])])
    }
}
