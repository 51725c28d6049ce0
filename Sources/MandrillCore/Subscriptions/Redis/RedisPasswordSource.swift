import Foundation

/// Where the Redis password comes from, so it need not sit in the URL: the file named by
/// `subscription.redis.passwordFile` (its contents, trailing newlines trimmed), else the
/// `MANDRILL_REDIS_PASSWORD` environment variable, else the URL's own. Sendable.
///
/// Used by the daemon and by `mandrill publish`. No error it throws contains the password.
public struct RedisPasswordSource: Sendable {
    /// The environment variable holding the password.
    public static let environmentVariable = "MANDRILL_REDIS_PASSWORD"
    /// A password file larger than this is surely the wrong file.
    static let maxFileBytes = 64 * 1024

    /// Path of the password file; empty = none.
    public let passwordFile: String
    /// The process environment.
    public let environment: [String: String]

    /// Creates a source.
    public init(passwordFile: String, environment: [String: String]) {
        self.passwordFile = passwordFile
        self.environment = environment
    }

    /// A source for `subscription.redis.*`.
    public init(settings: RedisSettings, environment: [String: String]) {
        self.init(passwordFile: settings.passwordFile, environment: environment)
    }

    /// The password from the file or the environment; nil when neither gives one.
    public func password() throws(ConfigurationErrors) -> String? {
        if !passwordFile.isEmpty {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: passwordFile))
            } catch {
                throw Self.error("cannot read \(passwordFile)")
            }
            guard data.count <= Self.maxFileBytes else { throw Self.error("\(passwordFile) is larger than 64 KiB") }
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            guard !text.isEmpty else { throw Self.error("\(passwordFile) is empty") }
            return text
        }
        if let password = environment[Self.environmentVariable], !password.isEmpty { return password }
        return nil
    }

    /// The endpoint of `url`, with the password from the file or environment when there is one.
    public func endpoint(url: String) throws(ConfigurationErrors) -> RedisEndpoint {
        let endpoint: RedisEndpoint
        do {
            endpoint = try RedisEndpoint(url: url)
        } catch {
            // RedisError never echoes the URL, which may hold a password.
            throw ConfigurationErrors([ConfigurationError(path: "subscription.redis.url", "\(error)")])
        }
        guard let password = try password() else { return endpoint }
        return endpoint.withPassword(password)
    }

    private static func error(_ message: String) -> ConfigurationErrors {
        ConfigurationErrors([ConfigurationError(path: "subscription.redis.passwordFile", message)])
    }
}
