/// A snapshot waiting for the writer thread to install it.
///
/// Sendable: immutable values and a continuation.
struct JournalCompactionRequest: Sendable {
    /// The caller's serialized state, opaque to the journal.
    let snapshot: [UInt8]
    /// The last sequence the snapshot reflects; records up to it become removable.
    let sequence: UInt64
    /// Resumed once the snapshot is durable and obsolete files are gone.
    let continuation: UnsafeContinuation<Void, any Error>
}
