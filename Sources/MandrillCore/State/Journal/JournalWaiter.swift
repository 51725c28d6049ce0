/// An append waiting for its records to be durable.
///
/// Sendable: a sequence and a continuation. Resumed with `sequence`, its last record's.
struct JournalWaiter: Sendable {
    /// Sequence of the append's last record; the append is durable once this one is.
    let sequence: UInt64
    /// Resumed by the writer thread after the covering write and fsync.
    let continuation: UnsafeContinuation<UInt64, any Error>
}
