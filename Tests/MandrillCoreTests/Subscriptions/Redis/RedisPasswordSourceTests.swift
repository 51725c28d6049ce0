import Foundation
import Testing
@testable import MandrillCore

/// Where the Redis password comes from, and that it never shows in an error.
struct RedisPasswordSourceTests {
    static func withFile<T>(_ contents: String, _ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-password-\(UUID().uuidString)")
        try Data(contents.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    @Test func passwordFileOverridesTheURLAndLosesItsTrailingNewline() throws {
        let endpoint = try Self.withFile("from-file\n") { path in
            try RedisPasswordSource(passwordFile: path, environment: ["MANDRILL_REDIS_PASSWORD": "from-env"])
                .endpoint(url: "redis://:in-url@redis.internal:6380/2")
        }
        #expect(endpoint.password == "from-file")
        #expect(endpoint.address == .tcp(host: "redis.internal", port: 6380))
        #expect(endpoint.database == 2)
    }

    @Test func environmentVariableOverridesTheURLWhenNoFileIsSet() throws {
        let source = RedisPasswordSource(passwordFile: "", environment: ["MANDRILL_REDIS_PASSWORD": "from-env"])
        #expect(try source.endpoint(url: "redis://:in-url@localhost").password == "from-env")
        #expect(try RedisPasswordSource(passwordFile: "", environment: [:]).endpoint(url: "redis://:in-url@localhost").password == "in-url")
    }

    @Test func unreadableOrEmptyPasswordFileIsAConfigurationErrorWithoutThePassword() throws {
        let missing = RedisPasswordSource(passwordFile: "/nonexistent/mandrill-password", environment: [:])
        #expect(throws: ConfigurationErrors.self) { try missing.password() }
        do {
            _ = try Self.withFile("\n") { try RedisPasswordSource(passwordFile: $0, environment: [:]).password() }
            Issue.record("an empty password file was accepted")
        } catch let errors as ConfigurationErrors {
            #expect(errors.errors.first?.path == "subscription.redis.passwordFile")
            #expect(errors.description.contains("is empty"))
        }
    }

    @Test func badURLErrorNamesTheKeyButNotThePassword() {
        do {
            _ = try RedisPasswordSource(passwordFile: "", environment: [:]).endpoint(url: "http://user:hunter2@host")
            Issue.record("a bad URL was accepted")
        } catch {
            #expect(error.errors.first?.path == "subscription.redis.url")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func endpointDescriptionHidesAPasswordFromTheFile() throws {
        let endpoint = try Self.withFile("hunter2") {
            try RedisPasswordSource(passwordFile: $0, environment: [:]).endpoint(url: "redis://localhost:6379/0")
        }
        #expect(endpoint.password == "hunter2")
        #expect(!"\(endpoint)".contains("hunter2"))
    }
}
