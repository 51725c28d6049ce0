extension RedisURLParser {
    /// `user:password`, `:password` or `user:` → (user, password); empty parts are nil.
    static func userInfo(_ text: Substring) throws(RedisError) -> (String?, String?) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .invalidURL("user info must be user:password or :password")
        }
        guard let user = percentDecoded(text[..<colon]),
              let password = percentDecoded(text[text.index(after: colon)...])
        else { throw .invalidURL("invalid percent-encoding in the user info") }
        return (user.isEmpty ? nil : user, password.isEmpty ? nil : password)
    }

    static func hostAndPort(_ text: Substring) throws(RedisError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidURL("unterminated [ in host") }
            host = text[text.index(after: text.startIndex) ..< close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL("unexpected text after ]") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .invalidURL("invalid IPv6 address")
            }
        } else {
            if let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            }
            guard !host.isEmpty else { throw .invalidURL("missing host") }
            guard host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-._".contains($0) }) else {
                throw .invalidURL("host may contain only letters, digits, '-', '.' and '_' (IPv6 goes in [ ])")
            }
        }
        guard let portText else { return (String(host), RedisEndpoint.defaultPort) }
        guard let port = decimal(portText), (1 ... 65535).contains(port) else {
            throw .invalidURL("port must be a number from 1 to 65535")
        }
        return (String(host), port)
    }

    static func database(inPath path: Substring) throws(RedisError) -> Int? {
        guard path.count > 1 else { return nil }
        guard let database = decimal(path.dropFirst()) else {
            throw .invalidURL("path must be /db, a non-negative database number")
        }
        return database
    }

    static func database(inQuery query: Substring?) throws(RedisError) -> Int? {
        guard let query, !query.isEmpty else { return nil }
        var database: Int?
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard parameter.hasPrefix("db=") else {
                throw .invalidURL("unsupported query parameter; only db=N is supported")
            }
            guard database == nil else { throw .invalidURL("db= given more than once") }
            guard let value = decimal(parameter.dropFirst(3)) else {
                throw .invalidURL("db= must be a non-negative database number")
            }
            database = value
        }
        return database
    }

    // Plain ASCII digits only, small enough for Redis (no sign, no spaces).
    static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0" ... "9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let digits = Array("0123456789ABCDEF")
                result += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
