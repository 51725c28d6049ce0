/// Spelling rules of the Prometheus text exposition format 0.0.4.
enum PrometheusTextFormat {
    /// The `Content-Type` of a rendering.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `name="value",…` with names sorted, or "" for no labels; injective, so it also
    /// serves as the key that identifies a series inside its family.
    static func labelBody(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\(escapeLabelValue($0.value))\"" }
            .joined(separator: ",")
    }

    /// `{body}` or "" when the body is empty.
    static func braced(_ body: String) -> String {
        body.isEmpty ? "" : "{\(body)}"
    }

    /// Escapes backslash, double quote and line feed, as label values require.
    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Escapes backslash and line feed, as `# HELP` text requires.
    static func escapeHelp(_ help: String) -> String {
        help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// Integers without a fraction, `+Inf`/`-Inf`/`NaN` as Prometheus spells them,
    /// other values in Swift's shortest round-tripping form.
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidMetricName(_ name: String) -> Bool {
        isValidName(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not reserved (`__` prefix).
    static func isValidLabelName(_ name: String) -> Bool {
        isValidName(name, allowColon: false) && !name.hasPrefix("__")
    }

    private static func isValidName(_ name: String, allowColon: Bool) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { byte in
            isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
                || (allowColon && byte == UInt8(ascii: ":"))
        }
    }
}
