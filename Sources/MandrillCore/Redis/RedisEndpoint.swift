/// Where a Redis server is and how to log in to it. Sendable.
///
/// Parse one from `redis://[user:password@]host[:port][/db]`, `unix:///path/to.sock[?db=N]`
/// or `/path/to.sock[?db=N]` with `init(url:)`. Every textual form (`description`,
/// `debugDescription`, `dump`) shows the password as `***`.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The port Redis listens on unless told otherwise.
    public static let defaultPort = 6379

    /// A socket address. Sendable.
    public enum Address: Sendable, Hashable, CustomStringConvertible {
        /// A TCP host (name or IP literal) and port.
        case tcp(host: String, port: Int)
        /// A unix domain socket path.
        case unix(path: String)

        /// `host:port` (`[v6]:port` for IPv6 literals) or the socket path.
        public var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): path
            }
        }
    }

    /// The server's address.
    public var address: Address
    /// The ACL user name sent with `AUTH`, if any (Redis 6+).
    public var username: String?
    /// The password sent with `AUTH`, if any; set it from a file or environment variable
    /// to keep it out of the URL.
    public var password: String?
    /// The database selected with `SELECT` after connecting.
    public var database: Int

    /// Creates an endpoint from its parts.
    public init(address: Address, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.address = address
        self.username = username
        self.password = password
        self.database = database
    }

    /// A copy with the password replaced (e.g. by one read from a file).
    public func withPassword(_ password: String?) -> RedisEndpoint {
        var copy = self
        copy.password = password
        return copy
    }

    /// The endpoint as a URL with the password shown as `***`.
    public var redactedDescription: String {
        var credentials = ""
        if username != nil || password != nil {
            credentials = RedisURLParser.percentEncoded(username ?? "") + (password == nil ? "" : ":***") + "@"
        }
        switch address {
        case .tcp:
            return "redis://\(credentials)\(address)/\(database)"
        case .unix(let path):
            return "unix://\(credentials)\(path)" + (database == 0 ? "" : "?db=\(database)")
        }
    }

    /// Same as `redactedDescription`.
    public var description: String { redactedDescription }

    /// Same as `redactedDescription`.
    public var debugDescription: String { redactedDescription }

    /// A mirror whose `password` child is `***`, so `dump` cannot reveal it.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "address": address as Any,
            "username": username as Any,
            "password": (password == nil ? nil : "***") as String? as Any,
            "database": database as Any,
        ])
    }
}
