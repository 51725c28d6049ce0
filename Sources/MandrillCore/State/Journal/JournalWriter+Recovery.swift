import Glibc

extension JournalWriter {
    /// Locks the directory, recovers it, and leaves the writer ready to append.
    ///
    /// Cuts a torn or corrupt tail so new appends follow the last good record, removes the
    /// segments after it and any snapshot a crash left half-written.
    static func recover(
        directory: String, policy: FsyncPolicy, segmentBytes: Int,
        fileSystem: any JournalFileSystem, queue: JournalQueue
    ) throws -> (JournalWriter, RecoveryReport) {
        try fileSystem.createDirectory(directory)
        guard let lock = try acquireLock(directory + "/LOCK", fileSystem: fileSystem) else {
            throw JournalError.locked(directory: directory)
        }
        var writer = JournalWriter(
            directory: directory, policy: policy, segmentBytes: segmentBytes,
            fileSystem: fileSystem, queue: queue, lock: lock)
        do {
            let report = try writer.repair()
            return (writer, report)
        } catch {
            writer.finish()
            throw error
        }
    }

    private mutating func repair() throws -> RecoveryReport {
        try removeIfPresent(path(JournalSnapshotFile.temporaryName))
        let scan = try JournalScan.scan(directory: directory, fileSystem: fileSystem)
        for number in scan.droppedSegmentNumbers {
            try fileSystem.remove(path(JournalSegment.fileName(number)))
        }
        segments = scan.segments
        snapshotSequence = scan.report.snapshotSequence
        if let torn = scan.truncatedSegment {
            let file = try fileSystem.openForAppend(path(JournalSegment.fileName(torn.number)), create: false)
            current = file
            try fileSystem.truncate(file, to: torn.bytes)
            if policy != .never { try fileSystem.fsync(file) }
        }
        queue.storedBytes.store(segments.reduce(0) { $0 + $1.bytes }, ordering: .relaxed)
        if let last = segments.last, last.lastSequence == 0 || last.bytes < segmentBytes {
            if current == nil {
                current = try fileSystem.openForAppend(path(JournalSegment.fileName(last.number)), create: false)
            }
            if !scan.droppedSegmentNumbers.isEmpty { try syncDirectory() }
        } else {
            try startSegment()  // syncs the directory, covering the removals too
        }
        var report = scan.report
        report.segmentCount = segments.count
        report.totalBytes = segments.reduce(0) { $0 + $1.bytes }
        return report
    }

    /// Takes the directory lock, retrying for up to two seconds: a predecessor that is
    /// still exiting (a systemd restart), or a child process between fork and exec that
    /// briefly holds a copy of the descriptor, lets go within that time; a live daemon
    /// does not. Runs on the journal's own thread, so sleeping here blocks nothing else.
    static func acquireLock(_ path: String, fileSystem: any JournalFileSystem) throws -> JournalFile? {
        for _ in 0..<40 {
            if let lock = try fileSystem.lockExclusive(path) { return lock }
            usleep(50_000)
        }
        return try fileSystem.lockExclusive(path)
    }
}
