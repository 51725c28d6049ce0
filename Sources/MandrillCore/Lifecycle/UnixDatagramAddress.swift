#if canImport(Glibc)
import Glibc
#endif

/// An `AF_UNIX` socket address: a filesystem path, or an abstract name (`@name` in
/// `NOTIFY_SOCKET`, a leading NUL byte in `sun_path`). Sendable value type.
public struct UnixDatagramAddress: Sendable, Equatable, CustomStringConvertible {
    /// The bytes of `sun_path`, NUL-first for abstract names, without a trailing NUL.
    public let pathBytes: [UInt8]

    /// Parses a `NOTIFY_SOCKET` value: `/path` or `@abstract`; nil for anything else
    /// (including `vsock:` addresses) or when it does not fit `sun_path`.
    public init?(notifySocket value: String) {
        var bytes = Array(value.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@"),
              bytes.count > 1, !bytes.contains(0)
        else { return nil }
        if first == UInt8(ascii: "@") { bytes[0] = 0 }
        // A path needs room for its terminating NUL; an abstract name uses the whole field.
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard bytes.count <= (first == UInt8(ascii: "@") ? capacity : capacity - 1) else { return nil }
        pathBytes = bytes
    }

    /// Whether this is an abstract-namespace name.
    public var isAbstract: Bool { pathBytes.first == 0 }

    /// `/path` or `@name`, as `NOTIFY_SOCKET` spells it.
    public var description: String {
        isAbstract ? "@" + String(decoding: pathBytes.dropFirst(), as: UTF8.self)
            : String(decoding: pathBytes, as: UTF8.self)
    }

    /// Calls `body` with the `sockaddr_un` and its exact length: the `sun_path` offset plus
    /// the path bytes, no trailing NUL (for abstract names that NUL would be part of the name).
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count)
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}
