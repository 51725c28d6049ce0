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

    @Test func tablesSeededDifferentlySpreadIdsAndEqualIdsHashEqually() {
        let ids = (0..<4_096).map { MessageID("m-\($0)") }
        for seed in [0, 1, -1, 0x5EED] {
            // 4,096 ids over 4,096 buckets: a good mix leaves roughly 1/e of them empty.
            let buckets = Set(ids.map { $0._rawHashValue(seed: seed) & 4_095 })
            #expect(buckets.count > 2_300, "seed \(seed) clusters the ids into \(buckets.count) buckets")
        }
        #expect(ids[7]._rawHashValue(seed: 3) == MessageID("m-7")._rawHashValue(seed: 3))
        #expect(ids[7]._rawHashValue(seed: 3) != ids[7]._rawHashValue(seed: 4), "the seed is mixed in")
        // Inside a composite key the id goes through `hash(into:)`; equal ids agree there
        // too, also when their text is held in separate heap storage (built two ways).
        struct Composite: Hashable { let id: MessageID; let attempt: Int }
        #expect(Composite(id: ids[9], attempt: 2).hashValue == Composite(id: MessageID("m-9"), attempt: 2).hashValue)
        let long = String(repeating: "projects/fleet/subscriptions/restarts-", count: 2)
        let built = MessageID(long + "4711")
        let joined = MessageID(["projects/fleet/subscriptions/restarts-", "projects/fleet/subscriptions/restarts-", "4711"].joined())
        #expect(built == joined)
        #expect(Composite(id: built, attempt: 1).hashValue == Composite(id: joined, attempt: 1).hashValue)
        #expect(Composite(id: built, attempt: 1).hashValue != Composite(id: MessageID(long + "4712"), attempt: 1).hashValue)
    }
}
