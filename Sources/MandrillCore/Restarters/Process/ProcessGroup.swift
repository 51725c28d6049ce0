import Glibc

/// The process group a spawned child leads; a signal sent here reaches every member.
///
/// Sendable: a plain id.
struct ProcessGroup: Sendable {
    /// The group id, equal to the pid of the child that leads it.
    let id: pid_t

    /// Sends `signal` to every process still in the group; a group with no members left
    /// is not an error.
    func send(_ signal: Int32) {
        _ = kill(-id, signal)
    }
}
