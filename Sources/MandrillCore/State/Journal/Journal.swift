import Foundation

/// A crash-safe, append-only write-ahead journal of `StateRecord`s with group commit.
///
/// Sendable: all shared state sits in a lock-protected `JournalQueue`; files are touched only
/// by the journal's own writer thread, never by the cooperative pool. Appends from many tasks
/// are collected, written with one `write` and made durable with one fsync per batch; each
/// caller resumes once its records are durable. Records get increasing sequence numbers that
/// survive restarts. Compaction is the caller's job: when `needsCompaction`, serialize your
/// state and hand it to `compact(snapshot:)`.
public final class Journal: Sendable {
    /// Largest encoded record the journal accepts (and believes on recovery).
    public static let maxRecordBytes = JournalSegment.maxPayloadBytes
    /// Default size at which appends move to a new segment.
    public static let defaultSegmentBytes = 64 << 20
    /// `needsCompaction` once live segments hold this many times `segmentBytes`: recovery
    /// then reads at most about this many segments, and a snapshot is written rarely.
    public static let compactionFactor = 4

    /// The directory holding segments, snapshots and the lock.
    public let directory: String
    /// When appends are forced to disk.
    public let fsyncPolicy: FsyncPolicy
    /// Size at which appends move to a new segment.
    public let segmentBytes: Int
    private let queue: JournalQueue

    private init(directory: String, fsyncPolicy: FsyncPolicy, segmentBytes: Int, queue: JournalQueue) {
        self.directory = directory
        self.fsyncPolicy = fsyncPolicy
        self.segmentBytes = segmentBytes
        self.queue = queue
    }

    deinit {
        // A journal dropped without `close()` still stops its thread and releases the lock.
        queue.requestClose(continuation: nil)
    }

    /// Opens (creating if needed) and recovers the journal in `directory`, locking it.
    ///
    /// A torn or corrupt tail is cut off and reported. Throws `JournalError.locked` when
    /// another process has the journal open. `onDurable` sees every record once it is
    /// durable, in sequence order with its sequence set, before the appends it covers
    /// return; it runs on the writer thread, so it must be quick and never wait on the
    /// journal.
    public static func open(
        directory: String, fsync: FsyncPolicy = .batch, segmentBytes: Int = defaultSegmentBytes,
        fileSystem: any JournalFileSystem = PosixFileSystem(),
        onDurable: @escaping @Sendable (ArraySlice<StateRecord>) -> Void = { _ in }
    ) async throws -> (journal: Journal, recovery: RecoveryReport) {
        let queue = JournalQueue(onDurable: onDurable)
        // Recovery reads files and may fsync, so it runs on the thread that becomes the writer.
        let report = try await withUnsafeThrowingContinuation { (opened: UnsafeContinuation<RecoveryReport, any Error>) in
            let thread = Thread {
                let recovered: (JournalWriter, RecoveryReport)
                do {
                    recovered = try JournalWriter.recover(
                        directory: directory, policy: fsync, segmentBytes: segmentBytes,
                        fileSystem: fileSystem, queue: queue)
                } catch {
                    opened.resume(throwing: error)
                    return
                }
                var writer = recovered.0
                let report = recovered.1
                queue.state.withLock { $0.nextSequence = report.lastSequence + 1 }
                opened.resume(returning: report)
                writer.serve()
            }
            thread.name = "mandrill-journal"
            thread.start()
        }
        let journal = Journal(directory: directory, fsyncPolicy: fsync, segmentBytes: segmentBytes, queue: queue)
        return (journal, report)
    }

    /// Appends records in order; returns once they are durable, with the last one's sequence.
    ///
    /// The journal assigns `sequence` (the records' own value is ignored). Cancellation does
    /// not interrupt the wait: the records are already queued and will be written, and the
    /// wait is bounded by one write and fsync. Throws the journal's fatal error after a
    /// failed write or fsync, `recordTooLarge` (appending nothing), or `closed`.
    @discardableResult
    public func append(_ records: [StateRecord]) async throws -> UInt64 {
        guard !records.isEmpty else { return queue.lastAssigned }
        try checkSizes(records)
        return try await withUnsafeThrowingContinuation { queue.enqueue(records, continuation: $0) }
    }

    /// Queues records to be written in order without waiting: the next `append` returns
    /// only once they are durable too (one write and fsync cover everything before it).
    /// Returns the first record's sequence. Throws as `append` does, at once.
    public func appendBehind(_ records: some Collection<StateRecord>) throws -> UInt64 {
        try checkSizes(records)
        return try queue.enqueueBehind(records).get()
    }

    private func checkSizes(_ records: some Collection<StateRecord>) throws {
        for record in records {
            let bytes = RecordCodec.encodedSize(record)
            if bytes > Self.maxRecordBytes { throw JournalError.recordTooLarge(bytes: bytes, limit: Self.maxRecordBytes) }
        }
    }

    /// The sequence of the last record appended (durable or about to be); 0 when none.
    public var lastSequence: UInt64 { queue.lastAssigned }

    /// Bytes in segments not yet folded into a snapshot (approximately: whole live segments).
    public var bytesSinceSnapshot: Int { queue.storedBytes.load(ordering: .relaxed) }

    /// Whether live segments passed `segmentBytes × compactionFactor` and a snapshot is due.
    public var needsCompaction: Bool { bytesSinceSnapshot >= segmentBytes * Self.compactionFactor }

    /// Installs `snapshot` as the recovery starting point and drops the records it covers.
    ///
    /// `snapshot` is opaque: recovery hands it back as `RecoveryReport.snapshot`. It must
    /// reflect every record up to `sequence` (default: every record appended so far, so call
    /// it while no appends run, or pass the sequence your state was built from). Returns once
    /// the snapshot is durable and obsolete segments and snapshots are removed.
    public func compact(snapshot: [UInt8], coveringThrough sequence: UInt64? = nil) async throws {
        if snapshot.count > JournalSnapshotFile.maxPayloadBytes {
            throw JournalError.recordTooLarge(bytes: snapshot.count, limit: JournalSnapshotFile.maxPayloadBytes)
        }
        try await withUnsafeThrowingContinuation {
            queue.enqueueCompaction(snapshot, covering: sequence, continuation: $0)
        }
    }

    /// Writes every pending append, stops the writer thread and releases the lock.
    ///
    /// Later appends throw `JournalError.closed`. Throws the journal's fatal error if a
    /// write or fsync had failed. Calling it again returns at once.
    public func close() async throws {
        try await withUnsafeThrowingContinuation { queue.requestClose(continuation: $0) }
    }
}
