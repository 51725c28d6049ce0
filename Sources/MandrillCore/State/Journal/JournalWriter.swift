/// The journal's files as its writer thread sees them: current segment, live segments, buffer.
///
/// Confined to the writer thread: created there and never shared, so its mutable state
/// needs no lock (its members happen to be Sendable; the struct is never sent). It encodes each batch into one reused buffer, writes it with one call
/// and fsyncs once (per `FsyncPolicy`), then resumes the appends that became durable.
struct JournalWriter {
    let directory: String
    let policy: FsyncPolicy
    let segmentBytes: Int
    let fileSystem: any JournalFileSystem
    let queue: JournalQueue
    /// The directory lock, held until `finish`.
    let lock: JournalFile
    /// The segment appends go to; `nil` after a fatal error.
    var current: JournalFile?
    /// Live segments in order, the current one last.
    var segments: [JournalSegment] = []
    /// The sequence the installed snapshot covers (0 when there is none): a compaction
    /// request covering no more is stale and ignored, never installed over a newer one.
    var snapshotSequence: UInt64 = 0
    private var buffer: [UInt8] = []
    private var ready: [JournalWaiter] = []

    init(
        directory: String, policy: FsyncPolicy, segmentBytes: Int,
        fileSystem: any JournalFileSystem, queue: JournalQueue, lock: JournalFile
    ) {
        self.directory = directory
        self.policy = policy
        self.segmentBytes = segmentBytes
        self.fileSystem = fileSystem
        self.queue = queue
        self.lock = lock
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// Writes a batch: one write and one fsync, more only at a segment rollover or `.always`.
    mutating func write(_ batch: [StateRecord]) throws {
        buffer.removeAll(keepingCapacity: true)
        // `batch[unflushed..<next]` is what the buffer holds.
        var unflushed = batch.startIndex
        for next in batch.indices {
            if let last = segments.last, last.lastSequence != 0 || !buffer.isEmpty,
                last.bytes + buffer.count >= segmentBytes
            {
                try flush(batch[unflushed..<next])
                unflushed = next
                try startSegment()
            }
            JournalFrame.append(batch[next], to: &buffer)
            if policy == .always {
                try flush(batch[unflushed...next])
                unflushed = next + 1
            }
        }
        try flush(batch[unflushed...])
    }

    /// Writes the buffer (holding `records`) to the current segment, fsyncs it, and resumes
    /// the covered appends.
    private mutating func flush(_ records: ArraySlice<StateRecord>) throws {
        guard !buffer.isEmpty, let sequence = records.last?.sequence else { return }
        guard let file = current else { throw JournalError.closed }
        try buffer.withUnsafeBytes { try fileSystem.write(file, $0) }
        segments[segments.count - 1].bytes += buffer.count
        segments[segments.count - 1].lastSequence = sequence
        queue.storedBytes.add(buffer.count, ordering: .relaxed)
        buffer.removeAll(keepingCapacity: true)
        if policy != .never { try fileSystem.fsync(file) }
        queue.complete(records, reusing: &ready)
    }

    /// Closes the current segment and starts the next one, header written, entry durable.
    mutating func startSegment() throws {
        if let current { fileSystem.close(current) }
        current = nil
        let number = (segments.last?.number ?? 0) + 1
        let file = try fileSystem.openForAppend(path(JournalSegment.fileName(number)), create: true)
        current = file
        segments.append(JournalSegment(number: number, bytes: JournalSegment.header.count))
        // The header needs no fsync of its own: the first batch's fsync covers it.
        try JournalSegment.header.withUnsafeBytes { try fileSystem.write(file, $0) }
        queue.storedBytes.add(JournalSegment.header.count, ordering: .relaxed)
        try syncDirectory()
    }

    /// Makes new, renamed and removed directory entries durable (unless `.never`).
    func syncDirectory() throws {
        if policy != .never { try fileSystem.fsyncDirectory(directory) }
    }

    /// Closes the segment after a fatal error; nothing more is written.
    mutating func abandon() {
        if let current { fileSystem.close(current) }
        current = nil
    }

    /// Closes the files and releases the directory lock.
    mutating func finish() {
        abandon()
        fileSystem.unlock(lock)
    }
}
