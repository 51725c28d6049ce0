import Testing

@testable import MandrillCore

@Suite struct RecordCodecTests {
    @Test func everyKindRoundTripsWithUnicodeStrings() {
        for (index, kind) in StateRecord.Kind.allCases.enumerated() {
            var record = JournalFixtures.record(index, kind: kind)
            record.sequence = UInt64(index) + 1
            #expect(decode(encode(record)) == record)
        }
    }

    @Test func extremeValuesRoundTrip() {
        let record = StateRecord(
            sequence: .max, time: -0.0, kind: .manifest, messageID: MessageID(""), host: "",
            attempt: -3, detail: String(repeating: "é", count: 300), duration: .infinity)
        #expect(decode(encode(record)) == record)
        var large = record
        large.attempt = .max
        #expect(decode(encode(large)) == large)
    }

    @Test func encodedSizeIsExact() {
        let record = JournalFixtures.record(42)
        #expect(RecordCodec.encodedSize(record) == encode(record).count)
    }

    @Test func truncatedOrPaddedPayloadsAreRejected() {
        let bytes = encode(JournalFixtures.record(1))
        for length in 0..<bytes.count {
            #expect(decode(Array(bytes[..<length])) == nil, "length \(length)")
        }
        #expect(decode(bytes + [0]) == nil)
    }

    @Test func unknownKindIsRejected() {
        var bytes = encode(JournalFixtures.record(1))
        bytes[16] = 200
        #expect(decode(bytes) == nil)
    }

    @Test func invalidUTF8IsRejected() {
        var record = JournalFixtures.record(1)
        record.messageID = MessageID("ab")
        var bytes = encode(record)
        let messageIDOffset = 8 + 8 + 1 + 1 + 1  // sequence, time, kind, attempt, length
        bytes[messageIDOffset] = 0xFF
        #expect(decode(bytes) == nil)
    }

    private func encode(_ record: StateRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        RecordCodec.encode(record, into: &bytes)
        return bytes
    }

    private func decode(_ bytes: [UInt8]) -> StateRecord? {
        bytes.withUnsafeBytes { RecordCodec.decode($0) }
    }
}
