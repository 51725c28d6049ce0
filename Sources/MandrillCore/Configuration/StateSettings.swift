/// `state.*`: the journal.
public struct StateSettings: Codable, Sendable, Equatable {
    /// When appended records are forced to disk.
    public enum FsyncMode: String, Codable, Sendable, CaseIterable {
        /// One fsync per group-commit batch (default).
        case batch
        /// One fsync per record.
        case always
        /// Never fsync (tests and benchmarks only; a crash can lose records).
        case never
    }

    /// What to do with a redelivered message whose restart started before a crash with no outcome.
    public enum InDoubtAction: String, Codable, Sendable, CaseIterable {
        /// Restart it again (default: a restart is assumed idempotent).
        case restart
        /// Ack it without restarting, recorded as `skipped_in_doubt`.
        case skip
    }

    /// Directory holding the journal.
    public var directory = "./mandrill-state"
    /// When records are forced to disk.
    public var fsync: FsyncMode = .batch
    /// Journal segments roll over (and compaction runs) past this size.
    public var segmentBytes = 64 * 1024 * 1024
    /// Finished message ids are remembered this long for deduplication.
    public var dedupeWindowSeconds: Double = 7 * 24 * 3600
    /// Handling of in-doubt messages when they are redelivered.
    public var inDoubt: InDoubtAction = .restart

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case directory, fsync, segmentBytes, dedupeWindowSeconds, inDoubt
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        directory = try c.value(.directory, directory)
        fsync = try c.choice(.fsync, fsync)
        segmentBytes = try c.value(.segmentBytes, segmentBytes)
        dedupeWindowSeconds = try c.value(.dedupeWindowSeconds, dedupeWindowSeconds)
        inDoubt = try c.choice(.inDoubt, inDoubt)
    }
}
