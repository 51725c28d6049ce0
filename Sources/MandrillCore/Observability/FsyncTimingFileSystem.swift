/// Wraps the journal's file system to time every file fsync into
/// `mandrill_journal_fsync_seconds`.
public struct FsyncTimingFileSystem: JournalFileSystem {
    private let inner: any JournalFileSystem
    private let histogram: Histogram

    /// Times fsyncs made through `inner`.
    public init(_ inner: any JournalFileSystem = PosixFileSystem(), histogram: Histogram) {
        self.inner = inner
        self.histogram = histogram
    }

    public func fsync(_ file: JournalFile) throws {
        let start = ContinuousClock.now
        defer { histogram.observe(start.duration(to: .now)) }
        try inner.fsync(file)
    }

    public func createDirectory(_ path: String) throws { try inner.createDirectory(path) }
    public func lockExclusive(_ path: String) throws -> JournalFile? { try inner.lockExclusive(path) }
    public func unlock(_ file: JournalFile) { inner.unlock(file) }
    public func openForAppend(_ path: String, create: Bool) throws -> JournalFile { try inner.openForAppend(path, create: create) }
    public func write(_ file: JournalFile, _ bytes: UnsafeRawBufferPointer) throws { try inner.write(file, bytes) }
    public func truncate(_ file: JournalFile, to length: Int) throws { try inner.truncate(file, to: length) }
    public func close(_ file: JournalFile) { inner.close(file) }
    public func fsyncDirectory(_ path: String) throws { try inner.fsyncDirectory(path) }
    public func readFile(_ path: String) throws -> [UInt8] { try inner.readFile(path) }
    public func rename(_ from: String, to: String) throws { try inner.rename(from, to: to) }
    public func remove(_ path: String) throws { try inner.remove(path) }
    public func listDirectory(_ path: String) throws -> [String] { try inner.listDirectory(path) }
    public func fileSize(_ path: String) throws -> Int { try inner.fileSize(path) }
}
