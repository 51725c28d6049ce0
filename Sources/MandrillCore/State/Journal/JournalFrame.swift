/// The framing around every journal payload: `[u32 length][u32 CRC-32C of payload][payload]`.
///
/// Sendable: stateless. A frame is valid only when its length fits both the limit and the
/// bytes present and its checksum matches, so a torn or bit-flipped tail is detected.
enum JournalFrame {
    /// Bytes before the payload.
    static let headerBytes = 8

    /// Appends `record` as one frame, checksum included.
    @inline(__always)
    static func append(_ record: StateRecord, to buffer: inout [UInt8]) {
        let start = buffer.count
        JournalBytes.append(UInt64(0), to: &buffer)  // header placeholder, patched below
        RecordCodec.encode(record, into: &buffer)
        let length = buffer.count - start - headerBytes
        let crc = buffer.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(start + headerBytes)...]))
        }
        JournalBytes.store(UInt32(length), at: start, in: &buffer)
        JournalBytes.store(crc, at: start + 4, in: &buffer)
    }

    /// The payload of the frame starting at `offset`, or `nil` when the frame is torn,
    /// longer than `maxPayloadBytes`, or fails its checksum.
    static func payload(
        in bytes: UnsafeRawBufferPointer, at offset: Int, maxPayloadBytes: Int
    ) -> UnsafeRawBufferPointer? {
        guard bytes.count - offset >= headerBytes else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let start = offset + headerBytes
        guard length <= maxPayloadBytes, bytes.count - start >= length else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
        return CRC32C.checksum(payload) == crc ? payload : nil
    }
}
