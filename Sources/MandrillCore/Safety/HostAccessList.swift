/// `safety.allowHosts` and `safety.denyHosts`: which hosts may be restarted at all.
/// Deny wins over allow.
///
/// Sendable: an immutable value.
struct HostAccessList: Sendable {
    let allow: [HostGlob]
    let deny: [HostGlob]

    init(allow: [String], deny: [String]) {
        self.allow = allow.map(HostGlob.init)
        self.deny = deny.map(HostGlob.init)
    }

    /// Why `host` may not be restarted, or nil when it may.
    func refusal(for host: String) -> String? {
        if let glob = deny.first(where: { $0.matches(host) }) {
            return "denied by denyHosts \"\(glob.pattern)\""
        }
        if !allow.contains(where: { $0.matches(host) }) {
            return "not in allowHosts"
        }
        return nil
    }
}
