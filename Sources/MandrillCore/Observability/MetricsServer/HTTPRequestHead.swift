/// The request line and headers of one HTTP/1.x request. Sendable value type.
public struct HTTPRequestHead: Sendable {
    /// Method as sent, for example `GET`.
    public let method: String
    /// Request target as sent, for example `/metrics?x=1`.
    public let target: String
    /// `HTTP/1.0` or `HTTP/1.1`.
    public let version: String
    /// Header fields in arrival order, values trimmed.
    public let headers: [(name: String, value: String)]

    /// Creates a head.
    public init(method: String, target: String, version: String = "HTTP/1.1",
                headers: [(name: String, value: String)] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The target without its query string.
    public var path: String {
        String(target.prefix { $0 != "?" })
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
