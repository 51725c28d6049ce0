extension RedisEndpoint {
    /// Parses `redis://[user:password@]host[:port][/db]`, `unix://[user:password@]/path[?db=N]`
    /// or an absolute socket path `/path[?db=N]`; port defaults to 6379 and db to 0.
    ///
    /// Throws `RedisError.invalidURL` naming the part that is wrong, never echoing the
    /// URL (it may hold a password). Reserved characters in the user name or password
    /// must be percent-encoded.
    public init(url: String) throws {
        self = try RedisURLParser.parse(url)
    }
}

/// The grammar behind `RedisEndpoint(url:)`. A namespace with no instances.
enum RedisURLParser {
    // Longest path that fits sockaddr_un.sun_path with its terminating NUL on Linux.
    static let maxSocketPathLength = 107

    static func parse(_ url: String) throws(RedisError) -> RedisEndpoint {
        let text = Substring(url)
        if text.hasPrefix("/") { return try unixEndpoint(credentials: nil, rest: text) }
        guard let separator = text.firstRange(of: "://") else {
            throw .invalidURL("expected redis://host:port/db, unix:///path/to.sock or an absolute socket path")
        }
        let rest = text[separator.upperBound...]
        switch text[..<separator.lowerBound].lowercased() {
        case "redis":
            return try tcpEndpoint(rest)
        case "unix":
            if rest.hasPrefix("/") { return try unixEndpoint(credentials: nil, rest: rest) }
            guard let at = rest.firstRange(of: "@/") else { throw .invalidURL("unix socket path must be absolute") }
            let credentials = try userInfo(rest[..<at.lowerBound])
            return try unixEndpoint(credentials: credentials, rest: rest[rest.index(after: at.lowerBound)...])
        case "rediss":
            throw .invalidURL("TLS (rediss://) is not supported")
        default:
            throw .invalidURL("unsupported scheme; expected redis:// or unix://")
        }
    }

    private static func tcpEndpoint(_ rest: Substring) throws(RedisError) -> RedisEndpoint {
        let (main, query) = splitQuery(rest)
        let authorityEnd = main.firstIndex(of: "/") ?? main.endIndex
        let authority = main[..<authorityEnd]
        var credentials: (String?, String?)?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            credentials = try userInfo(authority[..<at])
            hostPort = authority[authority.index(after: at)...]
        }
        let (host, port) = try hostAndPort(hostPort)
        let pathDatabase = try database(inPath: main[authorityEnd...])
        let queryDatabase = try database(inQuery: query)
        if pathDatabase != nil, queryDatabase != nil {
            throw .invalidURL("database given both in the path and as ?db=")
        }
        return RedisEndpoint(
            address: .tcp(host: host, port: port),
            username: credentials?.0, password: credentials?.1,
            database: pathDatabase ?? queryDatabase ?? 0)
    }

    private static func unixEndpoint(
        credentials: (String?, String?)?, rest: Substring
    ) throws(RedisError) -> RedisEndpoint {
        let (path, query) = splitQuery(rest)
        guard path.count > 1 else { throw .invalidURL("unix socket path is empty") }
        guard path.utf8.count <= maxSocketPathLength else {
            throw .invalidURL("unix socket path is longer than \(maxSocketPathLength) bytes")
        }
        return RedisEndpoint(
            address: .unix(path: String(path)),
            username: credentials?.0, password: credentials?.1,
            database: try database(inQuery: query) ?? 0)
    }

    private static func splitQuery(_ text: Substring) -> (Substring, Substring?) {
        guard let mark = text.firstIndex(of: "?") else { return (text, nil) }
        return (text[..<mark], text[text.index(after: mark)...])
    }
}
