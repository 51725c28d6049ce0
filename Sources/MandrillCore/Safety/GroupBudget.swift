/// `safety.groups`: blast-radius budgets. A host belongs to the first group whose globs
/// match it; each group admits at most `maxRestartsPerWindow` restarts per sliding
/// `windowSeconds`.
///
/// Sendable: a value; the gate keeps it under its lock.
struct GroupBudget: Sendable {
    private struct Group: Sendable {
        let settings: HostGroupSettings
        let globs: [HostGlob]
        /// When restarts in this group were admitted, oldest first.
        var admitted: [ContinuousClock.Instant] = []

        var window: Duration { .seconds(double: settings.windowSeconds) }

        mutating func forget(before now: ContinuousClock.Instant) {
            let window = window
            admitted.removeAll { $0.duration(to: now) >= window }
        }
    }

    private var groups: [Group]

    init(_ settings: [HostGroupSettings]) {
        groups = settings.map { Group(settings: $0, globs: $0.hosts.map(HostGlob.init)) }
    }

    /// When `host`'s group has no budget left: how long until it has, and why.
    mutating func exhaustion(for host: String, now: ContinuousClock.Instant) -> (delay: Duration, reason: String)? {
        guard let index = groupIndex(of: host) else { return nil }
        groups[index].forget(before: now)
        let group = groups[index]
        guard group.admitted.count >= group.settings.maxRestartsPerWindow else { return nil }
        let limit = group.settings.maxRestartsPerWindow
        let reason = "group \(group.settings.name) budget \(limit) per \(group.window.secondsText) used"
        // The oldest admission that must expire before one more fits.
        let blocking = group.admitted.count - group.settings.maxRestartsPerWindow
        guard blocking < group.admitted.count else { return (group.window, reason) }
        let frees = group.admitted[blocking].advanced(by: group.window)
        return (now.duration(to: frees), reason)
    }

    /// Counts an admitted restart of `host` against its group.
    mutating func record(_ host: String, now: ContinuousClock.Instant) {
        guard let index = groupIndex(of: host) else { return }
        groups[index].admitted.append(now)
    }

    /// Adopts new groups; a group keeping its name keeps the restarts it already counted.
    mutating func reconfigure(_ settings: [HostGroupSettings]) {
        var previous: [String: [ContinuousClock.Instant]] = [:]
        for group in groups { previous[group.settings.name] = group.admitted }
        groups = settings.map {
            Group(settings: $0, globs: $0.hosts.map(HostGlob.init), admitted: previous[$0.name] ?? [])
        }
    }

    private func groupIndex(of host: String) -> Int? {
        groups.firstIndex { $0.globs.contains { $0.matches(host) } }
    }
}
