/// Little-endian and varint writers for the journal's binary formats.
///
/// Sendable: stateless. Appends straight into a reused `[UInt8]` so encoding a record
/// allocates nothing once the buffer has grown.
enum JournalBytes {
    @inline(__always)
    static func append(_ value: UInt32, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    static func append(_ value: Double, to buffer: inout [UInt8]) {
        append(value.bitPattern, to: &buffer)
    }

    /// LEB128: seven bits a byte, high bit set on all but the last.
    @inline(__always)
    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// A varint length then the UTF-8 bytes.
    @inline(__always)
    static func append(_ string: String, to buffer: inout [UInt8]) {
        let utf8 = string.utf8
        appendVarint(UInt64(utf8.count), to: &buffer)
        buffer.append(contentsOf: utf8)
    }

    /// How many bytes `appendVarint` writes for `value`.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // One byte per started group of seven significant bits, at least one.
        (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
    }

    /// How many bytes `append(_ string:)` writes for `string`.
    @inline(__always)
    static func encodedSize(_ string: String) -> Int {
        let count = string.utf8.count
        return varintSize(UInt64(count)) + count
    }

    /// Writes a little-endian `UInt32` over bytes already in the buffer.
    @inline(__always)
    static func store(_ value: UInt32, at offset: Int, in buffer: inout [UInt8]) {
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }
}
