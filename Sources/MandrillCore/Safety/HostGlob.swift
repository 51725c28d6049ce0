/// A hostname pattern from `safety.allowHosts`, `denyHosts` or a group's `hosts`: `*`
/// matches any run of characters (also none), `?` exactly one; letters match without
/// regard to case, as hostnames do.
///
/// Sendable: an immutable value.
public struct HostGlob: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as configured.
    public let pattern: String
    private let folded: [Character]

    /// Wraps a pattern; every string is a valid pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.folded = Array(pattern.lowercased())
    }

    public var description: String { pattern }

    /// Whether `host` matches the pattern.
    public func matches(_ host: String) -> Bool {
        let name = Array(host.lowercased())
        // Greedy match with one backtrack point (the last `*`): linear in practice and
        // never exponential, unlike naive recursion.
        var p = 0, n = 0
        var star: Int?
        var starName = 0
        while n < name.count {
            if p < folded.count, folded[p] == "*" {
                star = p
                starName = n
                p += 1
            } else if p < folded.count, folded[p] == "?" || folded[p] == name[n] {
                p += 1
                n += 1
            } else if let star {
                p = star + 1
                starName += 1
                n = starName
            } else {
                return false
            }
        }
        while p < folded.count, folded[p] == "*" { p += 1 }
        return p == folded.count
    }
}
