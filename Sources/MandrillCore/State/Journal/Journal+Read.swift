import Glibc

extension Journal {
    /// Reads the journal in `directory` without changing it or taking its lock.
    ///
    /// For `mandrill status`/`history` while the daemon runs: stops at the first torn or
    /// corrupt frame (the report counts what lies beyond). Blocks on file reads.
    public static func read(
        directory: String, fileSystem: any JournalFileSystem = PosixFileSystem()
    ) throws -> RecoveryReport {
        var attempts = 0
        while true {
            do {
                return try JournalScan.scan(directory: directory, fileSystem: fileSystem).report
            } catch JournalError.fileSystem(_, _, let code) where code == ENOENT && attempts < 3 {
                // A live daemon's compaction removed a file between listing and reading it.
                attempts += 1
            }
        }
    }
}
