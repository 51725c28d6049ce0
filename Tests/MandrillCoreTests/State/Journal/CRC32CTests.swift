import Testing

@testable import MandrillCore

@Suite struct CRC32CTests {
    @Test func checkValueMatchesTheCastagnoliStandard() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputHasZeroChecksum() {
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func slicingByEightAgreesWithTheBytewiseDefinitionAtEveryLengthAndAlignment() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for start in 0..<8 {
            for end in stride(from: start, through: bytes.count, by: 13) {
                let slice = Array(bytes[start..<end])
                #expect(CRC32C.checksum(slice) == bytewise(slice), "bytes \(start)..<\(end)")
            }
        }
    }

    @Test func updatingInPiecesEqualsOneChecksum() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        let pieces = bytes.withUnsafeBytes { raw in
            CRC32C.update(
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<11])),
                with: UnsafeRawBufferPointer(rebasing: raw[11...]))
        }
        #expect(pieces == whole)
    }

    private func bytewise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = ~0
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
