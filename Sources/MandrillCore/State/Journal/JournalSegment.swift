/// One segment file of the journal: `journal-00000001.seg`, a header, then frames.
///
/// Sendable: plain values. The writer keeps one per live segment to know its size and the
/// last sequence it holds, which is what compaction needs to decide what to delete.
struct JournalSegment: Sendable, Equatable {
    /// The header every segment starts with: "MMJL", format version 1 (u16), reserved u16.
    static let header: [UInt8] = Array("MMJL".utf8) + [1, 0, 0, 0]
    /// Largest payload a segment frame may claim; a longer length means a torn or bad frame.
    static let maxPayloadBytes = 1 << 20

    /// The segment's number, increasing by one per new segment.
    var number: UInt64
    /// Bytes in the file (header included) that hold valid frames.
    var bytes: Int
    /// Sequence of its last record; 0 when it holds none.
    var lastSequence: UInt64 = 0

    /// The file name of segment `number`.
    static func fileName(_ number: UInt64) -> String {
        "journal-" + zeroPadded(number, width: 8) + ".seg"
    }

    /// The number in a segment file name, or `nil` for other files.
    static func number(inFileName name: String) -> UInt64? {
        guard name.hasPrefix("journal-"), name.hasSuffix(".seg") else { return nil }
        return UInt64(name.dropFirst("journal-".count).dropLast(".seg".count))
    }

    /// Whether `bytes` start with a segment header this version reads.
    static func hasValidHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= header.count && bytes.prefix(header.count).elementsEqual(header)
    }

    /// Decimal digits of `value`, left-padded with zeros to `width`.
    static func zeroPadded(_ value: UInt64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
