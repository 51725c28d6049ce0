/// What the writer thread should do next.
enum JournalWork {
    /// Nothing pending: park until woken.
    case idle
    /// Write the batch, install these snapshots, then stop if `closing`.
    case work(compactions: [JournalCompactionRequest], closing: Bool)
}
