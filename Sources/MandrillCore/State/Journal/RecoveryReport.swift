/// What the journal found on disk: the latest snapshot, the records after it, and what was
/// cut off as a torn or corrupt tail.
///
/// Sendable: plain values.
public struct RecoveryReport: Sendable, Equatable {
    /// The newest valid snapshot's bytes, exactly as given to `Journal.compact`; `nil` if none.
    public var snapshot: [UInt8]?
    /// The sequence the snapshot covers (0 without a snapshot).
    public var snapshotSequence: UInt64
    /// Valid records with a sequence above `snapshotSequence`, in order.
    public var records: [StateRecord]
    /// Bytes after the first bad frame, including whole segments after it.
    public var droppedBytes: Int
    /// Segment files after the first bad frame (and any whose header was torn).
    public var droppedSegments: Int
    /// Segment files holding the valid journal (after `open`: including a segment it started).
    public var segmentCount: Int
    /// Bytes of the valid journal in those segments, headers included.
    public var totalBytes: Int
    /// The highest sequence recovered (snapshot or record); the next append gets one more.
    public var lastSequence: UInt64

    /// Creates a report; the journal builds these, tests compare them.
    public init(
        snapshot: [UInt8]? = nil, snapshotSequence: UInt64 = 0, records: [StateRecord] = [],
        droppedBytes: Int = 0, droppedSegments: Int = 0, segmentCount: Int = 0,
        totalBytes: Int = 0, lastSequence: UInt64 = 0
    ) {
        self.snapshot = snapshot
        self.snapshotSequence = snapshotSequence
        self.records = records
        self.droppedBytes = droppedBytes
        self.droppedSegments = droppedSegments
        self.segmentCount = segmentCount
        self.totalBytes = totalBytes
        self.lastSequence = lastSequence
    }
}
