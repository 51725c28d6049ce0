import Glibc

extension JournalWriter {
    /// Installs a snapshot, then removes the segments and snapshots it makes obsolete.
    ///
    /// Crash-safe at every step: until the rename, the old snapshot and every segment are
    /// untouched; after it, recovery starts from the new snapshot and skips covered records,
    /// so the removals that follow may be interrupted at any point.
    mutating func compact(_ request: JournalCompactionRequest) throws {
        let covered = request.sequence
        // Taken before a newer snapshot was installed: installing it now would remove the
        // newer one after the segments it alone covers.
        guard covered > snapshotSequence else { return }
        // Move appends to a fresh segment so the current one, fully covered, can go.
        if let last = segments.last, last.lastSequence != 0, last.lastSequence <= covered {
            try startSegment()
        }
        let temporary = path(JournalSnapshotFile.temporaryName)
        try removeIfPresent(temporary)
        let file = try fileSystem.openForAppend(temporary, create: true)
        do {
            let prefix = JournalSnapshotFile.prefix(sequence: covered, snapshot: request.snapshot)
            try prefix.withUnsafeBytes { try fileSystem.write(file, $0) }
            try request.snapshot.withUnsafeBytes { try fileSystem.write(file, $0) }
            if policy != .never { try fileSystem.fsync(file) }
        } catch {
            fileSystem.close(file)
            throw error
        }
        fileSystem.close(file)
        let name = JournalSnapshotFile.fileName(covered)
        try fileSystem.rename(temporary, to: path(name))
        try syncDirectory()
        snapshotSequence = covered
        try removeObsoleteFiles(coveredThrough: covered, keeping: name)
        try syncDirectory()
        queue.storedBytes.store(segments.reduce(0) { $0 + $1.bytes }, ordering: .relaxed)
    }

    private mutating func removeObsoleteFiles(coveredThrough covered: UInt64, keeping snapshot: String) throws {
        let obsolete = segments.dropLast().filter { $0.lastSequence <= covered }
        for segment in obsolete {
            try fileSystem.remove(path(JournalSegment.fileName(segment.number)))
        }
        let removed = Set(obsolete.map(\.number))
        segments.removeAll { removed.contains($0.number) }
        for other in try fileSystem.listDirectory(directory)
        where other != snapshot && JournalSnapshotFile.sequence(inFileName: other) != nil {
            try fileSystem.remove(path(other))
        }
    }

    /// Removes a file, treating "already gone" as success.
    func removeIfPresent(_ path: String) throws {
        do {
            try fileSystem.remove(path)
        } catch JournalError.fileSystem(_, _, let code) where code == ENOENT {
            return
        }
    }
}
