#if canImport(Glibc)
import Glibc
#endif

/// Turns a level, message and fields into one logfmt or JSON line.
struct LogLineFormatter: Sendable {
    var format: LogFormat
    var journaldPrefix: Bool

    func line(
        level: LogLevel, message: String, fields: [(String, String)], wallTime: Double
    ) -> String {
        var out = ""
        out.reserveCapacity(160)
        if journaldPrefix {
            out += "<\(level.syslogPriority)>"
        }
        let timestamp = Self.iso8601(wallTime)
        switch format {
        case .logfmt:
            out += "ts=\(timestamp) level=\(level) msg="
            Self.appendLogfmtValue(message, to: &out)
            for (key, value) in fields {
                out += " \(key)="
                Self.appendLogfmtValue(value, to: &out)
            }
        case .json:
            out += "{\"ts\":\"\(timestamp)\",\"level\":\"\(level)\",\"msg\":"
            JSONText.appendString(message, to: &out)
            for (key, value) in fields {
                out += ","
                JSONText.appendString(key, to: &out)
                out += ":"
                JSONText.appendString(value, to: &out)
            }
            out += "}"
        }
        out += "\n"
        return out
    }

    static func appendLogfmtValue(_ value: String, to out: inout String) {
        let needsQuotes = value.isEmpty || value.utf8.contains { byte in
            byte <= 0x20 || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") || byte == 0x7F
        }
        guard needsQuotes else {
            out += value
            return
        }
        // A quoted logfmt value escapes like a JSON string.
        JSONText.appendString(value, to: &out)
    }

    /// `2026-11-24T20:30:00.123Z`.
    static func iso8601(_ wallTime: Double) -> String {
        var seconds = time_t(wallTime.rounded(.down))
        let millis = Int((wallTime - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(millis), 3))Z"
    }
}
