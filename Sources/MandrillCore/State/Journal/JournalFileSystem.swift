/// The file operations the journal needs: the seam where tests count or fail fsyncs.
///
/// Conformers must be Sendable: the journal calls them from its writer thread and from
/// readers. Every method blocks; the journal only calls them off the cooperative pool.
/// Failures throw `JournalError` (`fsyncFailed` from `fsync`, `writeFailed` from `write`).
public protocol JournalFileSystem: Sendable {
    /// Creates a directory and any missing parents; succeeds when it already exists.
    func createDirectory(_ path: String) throws
    /// Takes an exclusive advisory lock on `path` (created if needed); `nil` when another
    /// holder has it. The lock lasts until `unlock`.
    func lockExclusive(_ path: String) throws -> JournalFile?
    /// Releases a lock taken by `lockExclusive`.
    func unlock(_ file: JournalFile)
    /// Opens a file for appending; with `create`, creates it and fails if it exists.
    func openForAppend(_ path: String, create: Bool) throws -> JournalFile
    /// Writes all of `bytes` at the end of the file (looping over partial writes).
    func write(_ file: JournalFile, _ bytes: UnsafeRawBufferPointer) throws
    /// Forces the file's data to disk. The journal never retries a failed fsync.
    func fsync(_ file: JournalFile) throws
    /// Cuts the file to `length` bytes.
    func truncate(_ file: JournalFile, to length: Int) throws
    /// Closes the file.
    func close(_ file: JournalFile)
    /// Forces a directory's entries (new, renamed, removed files) to disk.
    func fsyncDirectory(_ path: String) throws
    /// Reads a whole file.
    func readFile(_ path: String) throws -> [UInt8]
    /// Renames a file, atomically replacing any file at `to`.
    func rename(_ from: String, to: String) throws
    /// Removes a file.
    func remove(_ path: String) throws
    /// The names (not paths) of a directory's entries, excluding `.` and `..`.
    func listDirectory(_ path: String) throws -> [String]
    /// A file's size in bytes.
    func fileSize(_ path: String) throws -> Int
}
