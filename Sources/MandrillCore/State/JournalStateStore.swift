import Synchronization

/// The daemon's state store: records go to the crash-safe `Journal` (group commit, CRC
/// framing) and are folded into a `StateIndex` once durable. Recovery on open rebuilds
/// finished ids, last restarts and the in-doubt set; compaction writes the index as a
/// snapshot when the journal grows past its limit.
public final class JournalStateStore: StateStore {
    private struct Contents {
        var index: StateIndex
        var inDoubtAtStart: Set<MessageID>
        /// Batches queued in the journal and not yet folded, in sequence order (each is
        /// added under this lock as it is queued): folded once an append covering them
        /// returned.
        var pending = FIFOQueue<[StateRecord]>()
        var nextSequence: UInt64
        var compacting = false

        /// The highest sequence an append has returned for: everything up to it is durable.
        var durableThrough: UInt64 = 0

        /// Notes that everything through `sequence` is durable and folds what it can in
        /// journal order, so the index's sequence is a true watermark. Batches written
        /// behind wait for a covering append; an append that returned early waits for the
        /// earlier ones to be folded first.
        mutating func foldDurable(through sequence: UInt64) {
            durableThrough = max(durableThrough, sequence)
            while nextSequence <= durableThrough, let batch = pending.popFirst() {
                for (offset, var record) in batch.enumerated() {
                    record.sequence = nextSequence + UInt64(offset)
                    index.apply(record)
                    if record.kind == .acked || record.kind == .deadLettered {
                        inDoubtAtStart.remove(record.messageID)
                    }
                }
                nextSequence += UInt64(batch.count)
            }
        }
    }

    /// The underlying journal.
    public let journal: Journal
    private let contents: Mutex<Contents>
    /// How many ids are still in `inDoubtAtStart`; it only shrinks. Zero (the usual case
    /// after a clean start) lets `isInDoubt` answer without the lock every intake takes.
    private let inDoubtRemaining: Atomic<Int>
    private let dedupeWindow: Double
    private let clock: any MandrillClock
    private let logger: Logger
    private let onFatal: @Sendable (JournalError) -> Void

    /// Opens and recovers the journal under `settings.directory`; logs what recovery found.
    /// `onFatal` runs once on a write or fsync failure (the daemon exits 74).
    public static func open(
        settings: StateSettings, clock: any MandrillClock = SystemClock(), logger: Logger,
        fileSystem: any JournalFileSystem = PosixFileSystem(), onFatal: @escaping @Sendable (JournalError) -> Void
    ) async throws -> JournalStateStore {
        let policy = FsyncPolicy(rawValue: settings.fsync.rawValue) ?? .batch
        let (journal, report) = try await Journal.open(
            directory: settings.directory, fsync: policy, segmentBytes: settings.segmentBytes, fileSystem: fileSystem)
        var index = report.snapshot.flatMap { StateIndex(snapshotBytes: $0) } ?? StateIndex()
        for record in report.records { index.apply(record) }
        index.forgetFinished(before: clock.wallTime - settings.dedupeWindowSeconds)
        index.lastSequence = report.lastSequence
        if policy == .never {
            logger.warning("state.fsync is \"never\": a crash can lose recent records. Use it for tests and benchmarks only.", [:])
        }
        logger.info("Recovered state.", [
            "directory": settings.directory, "records": report.records.count, "segments": report.segmentCount,
            "bytes": report.totalBytes, "snapshot": report.snapshot != nil, "finished_ids": index.finished.count,
            "in_doubt": index.open.count,
        ])
        if report.droppedBytes > 0 || report.droppedSegments > 0 {
            logger.warning("Journal had a torn or corrupt tail; it was truncated.", [
                "dropped_bytes": report.droppedBytes, "dropped_segments": report.droppedSegments,
            ])
        }
        for message in index.inDoubt {
            logger.warning("Message is in doubt: received before a crash with no recorded outcome.", [
                "msg_id": message.id, "host": message.host, "attempt": message.attempt,
                "restart_started": message.restartStarted,
            ])
        }
        return JournalStateStore(
            journal: journal, index: index, dedupeWindow: settings.dedupeWindowSeconds, clock: clock, logger: logger,
            onFatal: onFatal)
    }

    private init(
        journal: Journal, index: StateIndex, dedupeWindow: Double, clock: any MandrillClock, logger: Logger,
        onFatal: @escaping @Sendable (JournalError) -> Void
    ) {
        self.journal = journal
        self.contents = Mutex(Contents(
            index: index, inDoubtAtStart: Set(index.open.keys), nextSequence: index.lastSequence + 1))
        self.inDoubtRemaining = Atomic(index.open.count)
        self.dedupeWindow = dedupeWindow
        self.clock = clock
        self.logger = logger
        self.onFatal = onFatal
    }

    public func append(_ records: [StateRecord]) async throws {
        guard !records.isEmpty else { return }
        let last: UInt64
        do {
            last = try await withUnsafeThrowingContinuation { (durable: UnsafeContinuation<UInt64, any Error>) in
                // Queued under the lock, so `pending` keeps journal order.
                contents.withLock { contents in
                    if journal.enqueue(records, continuation: durable) { contents.pending.append(records) }
                }
            }
        } catch let error as JournalError where error.isFatal {
            onFatal(error)
            throw error
        }
        let shouldCompact = contents.withLock { contents -> Bool in
            contents.foldDurable(through: last)
            if inDoubtRemaining.load(ordering: .relaxed) > 0 {
                inDoubtRemaining.store(contents.inDoubtAtStart.count, ordering: .relaxed)
            }
            guard journal.needsCompaction, !contents.compacting else { return false }
            contents.compacting = true
            return true
        }
        if shouldCompact { await compact() }
    }

    public func appendBehind(_ records: [StateRecord]) throws {
        guard !records.isEmpty else { return }
        // Queued under the lock, so `pending` keeps journal order.
        try contents.withLock { contents in
            do {
                _ = try journal.appendBehind(records)
                contents.pending.append(records)
            } catch let error as JournalError where error.isFatal {
                onFatal(error)
                throw error
            }
        }
    }

    /// Writes the index as a snapshot and lets the journal drop the segments it covers.
    public func compact() async {
        let (bytes, sequence) = contents.withLock { contents -> ([UInt8], UInt64) in
            contents.index.forgetFinished(before: clock.wallTime - dedupeWindow)
            return (contents.index.snapshotBytes(), contents.index.lastSequence)
        }
        do {
            try await journal.compact(snapshot: bytes, coveringThrough: sequence)
            logger.info("Compacted the journal.", ["through_sequence": sequence, "snapshot_bytes": bytes.count])
        } catch let error as JournalError where error.isFatal {
            onFatal(error)
        } catch {
            logger.warning("Journal compaction failed; will try again later.", ["error": "\(error)"])
        }
        contents.withLock { $0.compacting = false }
    }

    public func snapshot() -> StateIndex { contents.withLock { $0.index } }

    public func isFinished(_ id: MessageID) -> Bool { contents.withLock { $0.index.finished[id] != nil } }

    public func isInDoubt(_ id: MessageID) -> Bool {
        guard inDoubtRemaining.load(ordering: .relaxed) > 0 else { return false }
        return contents.withLock { $0.inDoubtAtStart.contains(id) }
    }

    public func lastRestart(of host: String) -> Double? { contents.withLock { $0.index.lastRestart[host] } }

    public func close() async throws {
        try await journal.close()
    }
}
