/// When the journal forces appended records to disk (`state.fsync` in the configuration).
///
/// Sendable: a plain enum.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// One fsync per group-committed batch: every append waiting at the time shares it.
    case batch
    /// One write and one fsync per record: slowest, for the most careful deployments.
    case always
    /// No fsync at all (appends return once written to the page cache): tests and benchmarks.
    case never
}
