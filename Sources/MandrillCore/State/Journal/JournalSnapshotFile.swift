/// The snapshot file format: `snapshot-<seq>.snap` holding one frame of the caller's bytes.
///
/// Sendable: stateless. Layout: "MMSN" v1 header (8 bytes), then a frame whose payload is the
/// covered sequence (u64) followed by the opaque snapshot bytes. It is written to
/// `snapshot.tmp`, fsynced, then renamed, so a crash leaves either the old or the new one.
enum JournalSnapshotFile {
    /// The header every snapshot file starts with.
    static let header: [UInt8] = Array("MMSN".utf8) + [1, 0, 0, 0]
    /// Where a snapshot is written before the rename makes it count.
    static let temporaryName = "snapshot.tmp"
    /// Largest snapshot payload the frame length can describe.
    static let maxPayloadBytes = Int(UInt32.max) - 8

    /// The file name of the snapshot covering `sequence`.
    static func fileName(_ sequence: UInt64) -> String {
        "snapshot-" + JournalSegment.zeroPadded(sequence, width: 20) + ".snap"
    }

    /// The sequence in a snapshot file name, or `nil` for other files.
    static func sequence(inFileName name: String) -> UInt64? {
        guard name.hasPrefix("snapshot-"), name.hasSuffix(".snap") else { return nil }
        return UInt64(name.dropFirst("snapshot-".count).dropLast(".snap".count))
    }

    /// The bytes before the snapshot payload: header, frame header and covered sequence.
    static func prefix(sequence: UInt64, snapshot: [UInt8]) -> [UInt8] {
        var prefix = header
        var sequenceBytes: [UInt8] = []
        JournalBytes.append(sequence, to: &sequenceBytes)
        let crc = snapshot.withUnsafeBytes { body in
            sequenceBytes.withUnsafeBytes { CRC32C.update(CRC32C.checksum($0), with: body) }
        }
        JournalBytes.append(UInt32(sequenceBytes.count + snapshot.count), to: &prefix)
        JournalBytes.append(crc, to: &prefix)
        return prefix + sequenceBytes
    }

    /// The covered sequence and the snapshot bytes in a snapshot file, or `nil` when invalid.
    static func decode(_ file: [UInt8]) -> (sequence: UInt64, snapshot: [UInt8])? {
        file.withUnsafeBytes { bytes in
            guard bytes.count >= header.count, bytes.prefix(header.count).elementsEqual(header),
                let payload = JournalFrame.payload(in: bytes, at: header.count, maxPayloadBytes: maxPayloadBytes),
                header.count + JournalFrame.headerBytes + payload.count == bytes.count
            else { return nil }
            var reader = JournalByteReader(payload)
            guard let sequence = reader.readUInt64(), let rest = reader.readBytes(payload.count - 8) else {
                return nil
            }
            return (sequence, Array(rest))
        }
    }
}
