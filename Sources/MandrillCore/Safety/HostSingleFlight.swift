/// One restart per host at a time: the restart in progress for each host (keyed by the
/// lowercased hostname) and the waiters that want to know how it ends.
///
/// Sendable: a value; the gate keeps it under its lock.
struct HostSingleFlight: Sendable {
    /// A restart in progress.
    struct Flight: Sendable {
        /// The message whose restart it is.
        let messageID: MessageID
        /// Waiter ids, in arrival order.
        var waiters: [UInt64] = []
    }

    private var flights: [String: Flight] = [:]

    /// The message restarting `host` now, if any.
    func leader(of host: String) -> MessageID? {
        flights[host]?.messageID
    }

    mutating func begin(_ host: String, by messageID: MessageID) {
        flights[host] = Flight(messageID: messageID)
    }

    /// Adds a waiter to the restart of `host` in progress (once, however often it is asked).
    mutating func wait(_ waiter: UInt64, on host: String) {
        guard var flight = flights[host], !flight.waiters.contains(waiter) else { return }
        flight.waiters.append(waiter)
        flights[host] = flight
    }

    mutating func stopWaiting(_ waiter: UInt64, on host: String) {
        flights[host]?.waiters.removeAll { $0 == waiter }
    }

    /// Ends the restart of `host`; nil when none was in progress.
    mutating func end(_ host: String) -> Flight? {
        flights.removeValue(forKey: host)
    }
}
