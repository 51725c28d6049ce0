import Testing
@testable import MandrillCore

@Suite struct RESPValueTests {
    @Test func encoderWritesCommandsAsArraysOfBulkStrings() {
        #expect(RESPEncoder.encode(["SET", "k", "välue"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nvälue\r\n".utf8))
        #expect(RESPEncoder.encode([[0, 13, 10]]) == Array("*1\r\n$3\r\n".utf8) + [0, 13, 10] + Array("\r\n".utf8))
        #expect(RESPEncoder.encode([String]()) == Array("*0\r\n".utf8))
    }

    @Test func encoderAppendsForPipelining() throws {
        var buffer: [UInt8] = []
        RESPEncoder.encode(["PING"], into: &buffer)
        RESPEncoder.encode([Array("ECHO".utf8), Array("".utf8)], into: &buffer)
        #expect(buffer == Array("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n".utf8))
        // What the encoder writes, the parser reads back.
        var parser = RESPParser()
        parser.append(buffer)
        #expect(try parser.next() == .array([.bulk("PING")]))
        #expect(try parser.next() == .array([.bulk("ECHO"), .bulk("")]))
    }

    @Test func accessorsExposeTheUsefulShapes() {
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.bulk("42").string == "42")
        #expect(RESPValue.bulkString([0xFF]).string == nil)
        #expect(RESPValue.bulkString([0xFF]).bytes == [0xFF])
        #expect(RESPValue.integer(7).int == 7)
        #expect(RESPValue.bulk("12").int == 12)
        #expect(RESPValue.bulk("x").int == nil)
        #expect(RESPValue.array([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.array(nil).array == nil)
        #expect(RESPValue.array(nil).isNull && RESPValue.bulkString(nil).isNull)
        #expect(!RESPValue.bulk("").isNull)
        #expect(RESPValue.error("ERR x").errorMessage == "ERR x")
        #expect(RESPValue.simpleString("ERR x").errorMessage == nil)
    }

    @Test func descriptionReadsLikeRedisCli() {
        let value = RESPValue.array([.integer(1), .bulk("a"), .bulkString(nil), .error("ERR e"), .simpleString("OK")])
        #expect(value.description == "[(integer) 1, \"a\", (nil), (error) ERR e, OK]")
    }
}
