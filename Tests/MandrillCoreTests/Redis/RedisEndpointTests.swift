import Testing
@testable import MandrillCore

@Suite struct RedisEndpointTests {
    @Test func tcpURLDefaultsPortAndDatabase() throws {
        let endpoint = try RedisEndpoint(url: "redis://cache.example.net")
        #expect(endpoint == RedisEndpoint(address: .tcp(host: "cache.example.net", port: 6379)))
    }

    @Test func tcpURLWithEverything() throws {
        let endpoint = try RedisEndpoint(url: "redis://mandrill:p%40ss%3Aw0rd@127.0.0.1:6380/3")
        #expect(endpoint.address == .tcp(host: "127.0.0.1", port: 6380))
        #expect(endpoint.username == "mandrill")
        #expect(endpoint.password == "p@ss:w0rd")
        #expect(endpoint.database == 3)
    }

    @Test func passwordOnlyAndIPv6AndQueryDatabase() throws {
        let endpoint = try RedisEndpoint(url: "redis://:secret@[::1]:7000?db=2")
        #expect(endpoint == RedisEndpoint(address: .tcp(host: "::1", port: 7000), password: "secret", database: 2))
        #expect(endpoint.redactedDescription == "redis://:***@[::1]:7000/2")
    }

    @Test func unixSocketForms() throws {
        #expect(try RedisEndpoint(url: "unix:///run/redis/redis.sock")
            == RedisEndpoint(address: .unix(path: "/run/redis/redis.sock")))
        #expect(try RedisEndpoint(url: "/run/redis.sock?db=4")
            == RedisEndpoint(address: .unix(path: "/run/redis.sock"), database: 4))
        let withCredentials = try RedisEndpoint(url: "unix://u:pw@/tmp/r.sock?db=1")
        #expect(withCredentials == RedisEndpoint(address: .unix(path: "/tmp/r.sock"), username: "u", password: "pw", database: 1))
        #expect(withCredentials.redactedDescription == "unix://u:***@/tmp/r.sock?db=1")
    }

    @Test(arguments: [
        ("localhost:6379", "expected redis://"),
        ("http://host", "unsupported scheme"),
        ("rediss://host", "TLS"),
        ("redis://", "missing host"),
        ("redis://host:0", "port"),
        ("redis://host:70000", "port"),
        ("redis://host:abc", "port"),
        ("redis://host/x", "path"),
        ("redis://host/1?db=2", "both"),
        ("redis://host?timeout=1", "query"),
        ("redis://ho st", "host"),
        ("redis://a:b:c", "port"),
        ("redis://[::1", "unterminated"),
        ("unix://relative.sock", "absolute"),
        ("unix://", "absolute"),
        ("unix:///?db=1", "empty"),
        ("/" + String(repeating: "s", count: 120), "longer"),
        ("/tmp/r.sock?db=-1", "db="),
    ])
    func badURLsAreRejectedWithAClearReason(url: String, reason: String) {
        #expect {
            try RedisEndpoint(url: url)
        } throws: { error in
            guard case .invalidURL(let message)? = error as? RedisError else { return false }
            return message.contains(reason)
        }
    }

    @Test func passwordNeverAppearsInDescriptionsOrErrors() throws {
        let endpoint = try RedisEndpoint(url: "redis://admin:hunter2@db.internal:6379/0")
        for text in [endpoint.description, endpoint.debugDescription, "\(endpoint)", String(reflecting: endpoint)] {
            #expect(!text.contains("hunter2"))
        }
        var dumped = ""
        dump(endpoint, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(endpoint.redactedDescription == "redis://admin:***@db.internal:6379/0")
        for url in ["redis://admin:hunter2", "redis://admin:hunter2@", "redis://hunter2@host", "redis://:hunter2@host:x",
                    "redis://u:%zzhunter2@host", "hunter2://x"] {
            do {
                _ = try RedisEndpoint(url: url)
                Issue.record("\(url) should not parse")
            } catch {
                #expect(!"\(error)".contains("hunter2"), "\(error)")
            }
        }
    }

    @Test func passwordCanBeSuppliedFromOutside() throws {
        let endpoint = try RedisEndpoint(url: "redis://host:6379/1").withPassword("from-file")
        #expect(endpoint.password == "from-file")
        #expect(endpoint.redactedDescription == "redis://:***@host:6379/1")
    }
}
