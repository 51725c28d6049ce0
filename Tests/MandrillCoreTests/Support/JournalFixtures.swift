@testable import MandrillCore

/// Journal fixtures: records with non-ASCII strings in every field.
enum JournalFixtures {
    static func record(_ index: Int, kind: StateRecord.Kind = .acked) -> StateRecord {
        StateRecord(
            time: 1_700_000_000.25 + Double(index), kind: kind,
            messageID: MessageID("m-\(index)-ünïcødé-🦍"), host: "hôst-\(index % 7)-名前.example.net",
            attempt: index % 4, detail: "restarted ✓ \(index)\n\"quoted\"", duration: Double(index) / 8)
    }

    static func records(_ range: ClosedRange<Int>) -> [StateRecord] { range.map { record($0) } }

    /// `records` with the sequences the journal assigns when they were appended first.
    static func sequenced(_ records: [StateRecord], from first: UInt64 = 1) -> [StateRecord] {
        records.enumerated().map { index, record in
            var record = record
            record.sequence = first + UInt64(index)
            return record
        }
    }
}
