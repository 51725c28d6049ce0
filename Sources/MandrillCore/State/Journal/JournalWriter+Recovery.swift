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
        guard let lock = try fileSystem.lockExclusive(directory + "/LOCK") else {
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
}
