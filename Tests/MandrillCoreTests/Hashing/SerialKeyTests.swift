import Testing

@testable import MandrillCore

@Suite struct SerialKeyTests {
    @Test func consecutiveKeysSpreadOverTheTableAndAreFoundAgain() {
        // Counter values differ only in their low bits: the mix must still spread them.
        let keys = (1...4_096).map { SerialKey(UInt64($0)) }
        for seed in [0, 1, -1, 0x5EED] {
            // 4,096 keys over 4,096 buckets: a good mix leaves roughly 1/e of them empty.
            let buckets = Set(keys.map { $0._rawHashValue(seed: seed) & 4_095 })
            #expect(buckets.count > 2_300, "seed \(seed) clusters the keys into \(buckets.count) buckets")
        }
        #expect(keys[7]._rawHashValue(seed: 3) == SerialKey(8)._rawHashValue(seed: 3))
        #expect(keys[7]._rawHashValue(seed: 3) != keys[7]._rawHashValue(seed: 4), "the seed is mixed in")

        var table: [SerialKey: Int] = [:]
        for (index, key) in keys.enumerated() { table[key] = index }
        #expect(table.count == 4_096)
        #expect(table[SerialKey(4_096)] == 4_095)
        #expect(table[SerialKey(0)] == nil)
        #expect(table.removeValue(forKey: SerialKey(1)) == 0)
        #expect(table[SerialKey(1)] == nil)
        #expect(SerialKey(2) < SerialKey(10))
        // The largest counter value is a key like any other.
        #expect(Set([SerialKey(.max), SerialKey(.max - 1)]).count == 2)
    }
}
