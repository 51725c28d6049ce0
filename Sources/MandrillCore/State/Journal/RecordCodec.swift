/// The compact binary payload of one `StateRecord` in a journal frame.
///
/// Sendable: stateless. Layout, little-endian: sequence u64, time f64, kind u8, attempt
/// (zigzag varint), messageID, host, detail (each a varint length then UTF-8), duration f64.
/// Hand-written rather than Codable because this runs for every record on the hot path.
enum RecordCodec {
    /// Bytes of a record with empty strings and a one-byte attempt.
    static let fixedBytes = 8 + 8 + 1 + 8

    /// How many bytes `encode` writes for `record`.
    static func encodedSize(_ record: StateRecord) -> Int {
        fixedBytes + JournalBytes.varintSize(zigzag(record.attempt))
            + JournalBytes.encodedSize(record.messageID.rawValue)
            + JournalBytes.encodedSize(record.host) + JournalBytes.encodedSize(record.detail)
    }

    /// Appends the payload of `record` to `buffer`.
    @inline(__always)
    static func encode(_ record: StateRecord, into buffer: inout [UInt8]) {
        JournalBytes.append(record.sequence, to: &buffer)
        JournalBytes.append(record.time, to: &buffer)
        buffer.append(record.kind.rawValue)
        JournalBytes.appendVarint(zigzag(record.attempt), to: &buffer)
        JournalBytes.append(record.messageID.rawValue, to: &buffer)
        JournalBytes.append(record.host, to: &buffer)
        JournalBytes.append(record.detail, to: &buffer)
        JournalBytes.append(record.duration, to: &buffer)
    }

    /// The record in `payload`, or `nil` when it is not exactly one well-formed record.
    static func decode(_ payload: UnsafeRawBufferPointer) -> StateRecord? {
        var reader = JournalByteReader(payload)
        guard let sequence = reader.readUInt64(),
            let time = reader.readDouble(),
            let kind = reader.readByte().flatMap(StateRecord.Kind.init(rawValue:)),
            let attempt = reader.readVarint().map(unzigzag),
            let messageID = reader.readString(),
            let host = reader.readString(),
            let detail = reader.readString(),
            let duration = reader.readDouble(),
            reader.isAtEnd
        else { return nil }
        return StateRecord(
            sequence: sequence, time: time, kind: kind, messageID: MessageID(messageID),
            host: host, attempt: attempt, detail: detail, duration: duration)
    }

    // Zigzag keeps small negative attempts (never expected, but representable) one byte long.
    @inline(__always)
    static func zigzag(_ value: Int) -> UInt64 {
        UInt64(bitPattern: Int64(value << 1 ^ value >> (Int.bitWidth - 1)))
    }

    @inline(__always)
    static func unzigzag(_ value: UInt64) -> Int {
        Int(truncatingIfNeeded: Int64(bitPattern: value >> 1 ^ (0 &- (value & 1))))
    }
}
