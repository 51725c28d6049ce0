import Testing

@testable import MandrillCore

@Suite struct MessageIDTests {
    @Test func idsAreEqualAndFoundInTablesExactlyWhenTheirSpellingIs() {
        let built = MessageID("m-s7-" + String(42))
        let literal = MessageID("m-s7-42")
        #expect(built == literal)
        #expect(built.hashValue == literal.hashValue)
        #expect(MessageID("m-s7-43") != literal)
        #expect(MessageID("M-s7-42") != literal, "case matters")
        // A non-ASCII spelling and its canonically equivalent form are the same string.
        #expect(MessageID("caf\u{E9}") == MessageID("cafe\u{301}"))

        var finished: [MessageID: Int] = [:]
        for index in 0..<10_000 { finished[MessageID("m-\(index)")] = index }
        #expect(finished[MessageID("m-" + String(9_999))] == 9_999)
        #expect(finished[MessageID("m-10000")] == nil)
        #expect(Set((0..<10_000).map { MessageID("m-\($0)") }).count == 10_000)
    }
}
