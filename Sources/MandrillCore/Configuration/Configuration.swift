import Foundation

/// The daemon's whole configuration: one JSON file, every key optional.
///
/// Unknown keys and invalid values are errors that name their JSON path; see
/// `Configuration.load(path:)` and `validate()`.
public struct Configuration: Codable, Sendable, Equatable {
    /// `subscription.*`
    public var subscription = SubscriptionSettings()
    /// `lease.*`
    public var lease = LeaseSettings()
    /// `retry.*`
    public var retry = RetrySettings()
    /// `restarter.*`
    public var restarter = RestarterSettings()
    /// `state.*`
    public var state = StateSettings()
    /// `shutdown.*`
    public var shutdown = ShutdownSettings()
    /// `safety.*`
    public var safety = SafetySettings()
    /// `logging.*`
    public var logging = LoggingSettings()
    /// `metrics.*`
    public var metrics = MetricsSettings()
    /// `debug.*`
    public var debug = DebugSettings()

    /// The embedded default: in-process publisher, simulated restarter, `./mandrill-state`.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case subscription, lease, retry, restarter, state, shutdown, safety, logging, metrics, debug
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subscription = try c.value(.subscription, subscription)
        lease = try c.value(.lease, lease)
        retry = try c.value(.retry, retry)
        restarter = try c.value(.restarter, restarter)
        state = try c.value(.state, state)
        shutdown = try c.value(.shutdown, shutdown)
        safety = try c.value(.safety, safety)
        logging = try c.value(.logging, logging)
        metrics = try c.value(.metrics, metrics)
        debug = try c.value(.debug, debug)
    }

    /// Reads, decodes and validates the file at `path`.
    public static func load(path: String) throws(ConfigurationErrors) -> Configuration {
        let data: Data
        do {
            data = try ConfigurationFile.read(path)
        } catch {
            throw ConfigurationErrors([error])
        }
        guard data.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw ConfigurationErrors([ConfigurationError(path: "", "\(path) is empty; write {} for the defaults")])
        }
        return try decode(data)
    }

    /// Decodes and validates JSON text.
    public static func decode(_ data: Data) throws(ConfigurationErrors) -> Configuration {
        let configuration: Configuration
        do {
            configuration = try JSONDecoder().decode(Configuration.self, from: data)
        } catch let error as ConfigurationError {
            throw ConfigurationErrors([error])
        } catch let error as DecodingError {
            throw ConfigurationErrors([ConfigurationError(decoding: error)])
        } catch {
            throw ConfigurationErrors([ConfigurationError(path: "", "\(error)")])
        }
        let problems = configuration.validate()
        guard problems.isEmpty else { throw ConfigurationErrors(problems) }
        return configuration
    }

    /// The effective configuration as pretty, key-sorted JSON (secrets redacted).
    public func renderJSON() -> String {
        var copy = self
        copy.subscription.redis.url = RedisURLRedaction.redact(copy.subscription.redis.url)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(copy)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension ConfigurationError {
    /// Translates a `DecodingError` into a message naming the JSON path.
    init(decoding error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: context.codingPath.dottedPath, "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(path: context.codingPath.dottedPath, "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: (context.codingPath + [key]).dottedPath, "missing")
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            let detail = underlying ?? context.debugDescription
            self.init(path: context.codingPath.dottedPath, context.codingPath.isEmpty ? "invalid JSON: \(detail)" : detail)
        @unknown default:
            self.init(path: "", "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int32.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is [String].Type, is [Any].Type: "a list"
        case is [String: Any].Type: "a JSON object"
        case is [Int32].Type: "a list of whole numbers"
        default: "a \(type)"
        }
    }
}

/// Hides the password of a `redis://user:password@host` URL.
enum RedisURLRedaction {
    static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex)
        else { return url }
        let userInfo = url[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at.lowerBound...])
    }
}
