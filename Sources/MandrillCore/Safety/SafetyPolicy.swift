/// The stateless part of `safety.*`, compiled for quick decisions: which hosts may be
/// restarted, blackout windows, the cooldown and dry run.
///
/// Sendable: an immutable value.
struct SafetyPolicy: Sendable {
    /// The settings this was compiled from.
    let settings: SafetySettings
    let access: HostAccessList
    let blackouts: BlackoutCalendar

    init(_ settings: SafetySettings) {
        self.settings = settings
        access = HostAccessList(allow: settings.allowHosts, deny: settings.denyHosts)
        blackouts = BlackoutCalendar(settings.blackoutWindows)
    }

    /// Why `host` is in its cooldown at `wallTime`, given its last successful restart.
    func cooldown(lastRestart: Double?, wallTime: Double) -> String? {
        let cooldown = settings.hostCooldownSeconds
        guard cooldown > 0, let lastRestart else { return nil }
        let age = wallTime - lastRestart
        guard age < cooldown else { return nil }
        let ago = Duration.seconds(double: age).secondsText
        return "last restarted \(ago) ago, cooldown \(Duration.seconds(double: cooldown).secondsText)"
    }
}
