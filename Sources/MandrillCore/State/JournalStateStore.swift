import Synchronization

/// The daemon's state store: records go to the crash-safe `Journal` (group commit, CRC
/// framing) and are folded into a `StateIndex` once durable, by the journal's writer
/// thread right after each write, so appending takes no lock of the store's own.
/// Recovery on open rebuilds finished ids, last restarts and the in-doubt set;
/// compaction writes the index as a snapshot when the journal grows past its limit.
public final class JournalStateStore: StateStore {
    /// The underlying journal.
    public let journal: Journal
    private let live: LiveStateIndex
    /// Set while a compaction runs, so that only one runs at a time: two at once could
    /// install an older snapshot after a newer one and drop the records between them.
    private let compacting = Atomic<Bool>(false)
    /// Set by the first fatal error, so that `onFatal` (in the daemon, `exit(74)`) runs
    /// once, not once per waiter of the failed write and per append after it.
    private let failed = Atomic<Bool>(false)
    private let dedupeWindow: Double
    /// Room kept in the index for this many messages in hand, also after compactions.
    private let reservedInFlight: Int
    private let clock: any MandrillClock
    private let logger: Logger
    private let onFatal: @Sendable (JournalError) -> Void

    /// Opens and recovers the journal under `settings.directory`; logs what recovery found.
    /// Room is made for `reservingInFlight` messages in hand (the consumer's
    /// `maxInFlight`; see `StateIndex.reserve`). `onFatal` runs once on a write or fsync
    /// failure (the daemon exits 74).
    public static func open(
        settings: StateSettings, clock: any MandrillClock = SystemClock(), logger: Logger,
        fileSystem: any JournalFileSystem = PosixFileSystem(), reservingInFlight: Int = 0,
        onFatal: @escaping @Sendable (JournalError) -> Void
    ) async throws -> JournalStateStore {
        let policy = FsyncPolicy(rawValue: settings.fsync.rawValue) ?? .batch
        let live = LiveStateIndex()
        let (journal, report) = try await Journal.open(
            directory: settings.directory, fsync: policy, segmentBytes: settings.segmentBytes, fileSystem: fileSystem,
            onDurable: { live.fold($0) })
        var index = report.snapshot.flatMap { StateIndex(snapshotBytes: $0) } ?? StateIndex()
        for record in report.records { index.apply(record) }
        // Rebuilt once, with the room `reserve` below would otherwise make by rebuilding again.
        index.forgetFinished(before: clock.wallTime - settings.dedupeWindowSeconds, reservingInFlight: reservingInFlight)
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
        index.reserve(inFlight: reservingInFlight)
        // Nothing was appended yet, so nothing was folded into `live` before this.
        live.install(index)
        return JournalStateStore(
            journal: journal, live: live, dedupeWindow: settings.dedupeWindowSeconds, reservedInFlight: reservingInFlight,
            clock: clock, logger: logger, onFatal: onFatal)
    }

    private init(
        journal: Journal, live: LiveStateIndex, dedupeWindow: Double, reservedInFlight: Int, clock: any MandrillClock,
        logger: Logger, onFatal: @escaping @Sendable (JournalError) -> Void
    ) {
        self.journal = journal
        self.live = live
        self.dedupeWindow = dedupeWindow
        self.reservedInFlight = reservedInFlight
        self.clock = clock
        self.logger = logger
        self.onFatal = onFatal
    }

    // Inlined into the `StateStore` witness, with the rare work in its own frames: this
    // frame lives in every handler while its outcome is saved (see `MessageHandler.handle`).
    @inline(__always)
    public func append(_ records: [StateRecord]) async throws {
        guard !records.isEmpty else { return }
        do {
            // Returns after the writer folded the records into `live`.
            try await journal.append(records)
        } catch {
            throw reportingFatal(error)
        }
        if journal.needsCompaction { await compact() }
    }

    /// `error`, after `onFatal` when it is the first fatal one.
    @inline(never)
    private func reportingFatal(_ error: any Error) -> any Error {
        if let error = error as? JournalError, error.isFatal,
            failed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
        {
            onFatal(error)
        }
        return error
    }

    public func appendBehind(_ records: [StateRecord]) throws {
        guard !records.isEmpty else { return }
        try writeBehind(records)
    }

    public func appendBehind(_ record: StateRecord) throws {
        try writeBehind(CollectionOfOne(record))
    }

    private func writeBehind(_ records: some Collection<StateRecord>) throws {
        do {
            _ = try journal.appendBehind(records)
        } catch {
            throw reportingFatal(error)
        }
    }

    /// Writes the index as a snapshot and lets the journal drop the segments it covers.
    /// Returns at once when a compaction is already running.
    @inline(never)
    public func compact() async {
        guard compacting.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        defer { compacting.store(false, ordering: .relaxed) }
        let (bytes, sequence) = live.compactionSnapshot(
            forgettingBefore: clock.wallTime - dedupeWindow, reservingInFlight: reservedInFlight)
        do {
            try await journal.compact(snapshot: bytes, coveringThrough: sequence)
            logger.info("Compacted the journal.", ["through_sequence": sequence, "snapshot_bytes": bytes.count])
        } catch let error as JournalError where error.isFatal {
            _ = reportingFatal(error)
        } catch {
            logger.warning("Journal compaction failed; will try again later.", ["error": "\(error)"])
        }
    }

    public func snapshot() -> StateIndex { live.snapshot }

    public func isFinished(_ id: MessageID) -> Bool { live.isFinished(id) }

    public func isInDoubt(_ id: MessageID) -> Bool { live.isInDoubt(id) }

    public func lastRestart(of host: String) -> Double? { live.lastRestart(of: host) }

    public func close() async throws {
        try await journal.close()
    }
}
