/// A coding key for any string, used to list the keys a JSON object really has.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension [any CodingKey] {
    /// `restarter.command.argv[2]`.
    var dottedPath: String {
        var out = ""
        for key in self {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }
}

extension Decoder {
    /// Throws a `ConfigurationError` naming the first key that `Keys` does not list.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw ConfigurationError(path: (codingPath + [key]).dottedPath, "unknown key")
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent.
    func value<T: Decodable>(_ key: Key, _ fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }

    /// A whole number at `key`, or `fallback` when absent. Decoded through `Double` so that
    /// `1.5` is reported with its path (Foundation on Linux calls it "not valid JSON").
    func value(_ key: Key, _ fallback: Int) throws -> Int {
        guard let number = try decodeIfPresent(Double.self, forKey: key) else { return fallback }
        guard number.rounded() == number, abs(number) <= 9_007_199_254_740_992 else {
            throw ConfigurationError(path: (codingPath + [key]).dottedPath, "must be a whole number, not \(number)")
        }
        return Int(number)
    }

    /// A string enumeration at `key`, with an error listing the allowed values.
    func choice<T: RawRepresentable & CaseIterable>(_ key: Key, _ fallback: T) throws -> T
    where T.RawValue == String {
        guard let raw = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw ConfigurationError(path: (codingPath + [key]).dottedPath, "must be one of \(allowed), not \"\(raw)\"")
        }
        return value
    }
}
