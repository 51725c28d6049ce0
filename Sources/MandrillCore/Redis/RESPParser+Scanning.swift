extension RESPParser {
    var cr: UInt8 { 13 }
    var lf: UInt8 { 10 }

    /// The index of the CR that ends the line starting at `readIndex`, or `nil` if the
    /// line is still incomplete. A bare CR or LF inside a line is malformed.
    mutating func findLineEnd(maxLength: Int) throws(RedisError) -> Int? {
        let start = max(lineSearchIndex, readIndex + 1)
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 13 || byte == 10 { return index }
                index += 1
            }
            return nil
        }
        guard let index = found else {
            lineSearchIndex = buffer.count
            if buffer.count - readIndex - 1 > maxLength {
                throw .protocolError("line longer than \(maxLength) bytes without CRLF")
            }
            return nil
        }
        lineSearchIndex = index
        guard index - readIndex - 1 <= maxLength else {
            throw .protocolError("line longer than \(maxLength) bytes")
        }
        guard buffer[index] == cr else { throw .protocolError("line feed without a carriage return") }
        guard index + 1 < buffer.count else { return nil }
        guard buffer[index + 1] == lf else { throw .protocolError("carriage return not followed by a line feed") }
        return index
    }

    /// The decimal integer spelled by `range`, rejecting anything else (no `+`, no spaces).
    func integer(in range: Range<Int>, what: String) throws(RedisError) -> Int {
        var index = range.lowerBound
        let negative = index < range.upperBound && buffer[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < range.upperBound else { throw .protocolError("\(what) is empty") }
        var value = 0
        while index < range.upperBound {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw .protocolError("\(what) is not a decimal number") }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative
                ? shifted.subtractingReportingOverflow(Int(digit))
                : shifted.addingReportingOverflow(Int(digit))
            guard !overflowA, !overflowB else { throw .protocolError("\(what) is out of range") }
            value = next
            index += 1
        }
        return value
    }

    /// Marks everything before `index` as consumed.
    mutating func consume(upTo index: Int) {
        readIndex = index
        lineSearchIndex = index
    }

    /// Drops consumed bytes when that is cheap relative to the bytes kept, so appending
    /// stays amortised O(1) per byte.
    mutating func compact() {
        if readIndex == buffer.count {
            // Keep a modest buffer for reuse, but release one grown by a huge reply.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
        } else if readIndex >= 64 * 1024, readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0 ..< readIndex)
            lineSearchIndex -= readIndex
        } else {
            return
        }
        if buffer.isEmpty { lineSearchIndex = 0 }
        readIndex = 0
    }

    func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
