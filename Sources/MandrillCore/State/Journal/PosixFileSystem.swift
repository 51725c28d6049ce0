import Glibc

/// The real journal file layer: POSIX open/write/fsync/ftruncate/rename/unlink and flock.
///
/// Sendable: stateless. Every descriptor is opened close-on-exec so restart commands the
/// daemon spawns never inherit a segment or, worse, the directory lock.
public struct PosixFileSystem: JournalFileSystem {
    /// Creates the file layer.
    public init() {}

    /// `mkdir` of each missing path component.
    public func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw JournalError.fileSystem(operation: "mkdir", path: prefix, errno: errno)
            }
        }
    }

    /// `flock(LOCK_EX | LOCK_NB)` on the file; `nil` on `EWOULDBLOCK`.
    public func lockExclusive(_ path: String) throws -> JournalFile? {
        let file = try openFile(path, flags: O_RDWR | O_CREAT, operation: "open lock")
        if flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 { return file }
        let code = errno
        Glibc.close(file.descriptor)
        if code == EWOULDBLOCK { return nil }
        throw JournalError.fileSystem(operation: "flock", path: path, errno: code)
    }

    /// Closes the lock file, which releases the flock.
    public func unlock(_ file: JournalFile) {
        // Closing the only descriptor of the open file description drops the flock.
        Glibc.close(file.descriptor)
    }

    /// `open(O_WRONLY | O_APPEND)`, with `O_CREAT | O_EXCL` when creating.
    public func openForAppend(_ path: String, create: Bool) throws -> JournalFile {
        let flags = O_WRONLY | O_APPEND | (create ? O_CREAT | O_EXCL : 0)
        return try openFile(path, flags: flags, operation: "open")
    }

    /// `write(2)` until every byte is written, retrying partial writes and `EINTR`.
    public func write(_ file: JournalFile, _ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(file.descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw JournalError.writeFailed(path: file.path, errno: errno)
            }
            offset += written
        }
    }

    /// `fsync(2)`, once: a failure is reported, never retried.
    public func fsync(_ file: JournalFile) throws {
        if Glibc.fsync(file.descriptor) != 0 {
            throw JournalError.fsyncFailed(path: file.path, errno: errno)
        }
    }

    /// `ftruncate(2)`.
    public func truncate(_ file: JournalFile, to length: Int) throws {
        if ftruncate(file.descriptor, off_t(length)) != 0 {
            throw JournalError.fileSystem(operation: "ftruncate", path: file.path, errno: errno)
        }
    }

    /// `close(2)`.
    public func close(_ file: JournalFile) {
        Glibc.close(file.descriptor)
    }

    /// Opens the directory read-only and `fsync`s it.
    public func fsyncDirectory(_ path: String) throws {
        let directory = try openFile(path, flags: O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { Glibc.close(directory.descriptor) }
        try fsync(directory)
    }

    /// Reads the file to its current end.
    public func readFile(_ path: String) throws -> [UInt8] {
        let file = try openFile(path, flags: O_RDONLY, operation: "open")
        defer { Glibc.close(file.descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(try size(of: file))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(file.descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError.fileSystem(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// `rename(2)`: atomic replacement within one file system.
    public func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            throw JournalError.fileSystem(operation: "rename", path: from, errno: errno)
        }
    }

    /// `unlink(2)`.
    public func remove(_ path: String) throws {
        if unlink(path) != 0 {
            throw JournalError.fileSystem(operation: "unlink", path: path, errno: errno)
        }
    }

    /// `readdir` of the directory, without `.` and `..`.
    public func listDirectory(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw JournalError.fileSystem(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `stat(2)` size.
    public func fileSize(_ path: String) throws -> Int {
        var status = stat()
        if stat(path, &status) != 0 {
            throw JournalError.fileSystem(operation: "stat", path: path, errno: errno)
        }
        return Int(status.st_size)
    }

    private func openFile(_ path: String, flags: Int32, operation: String) throws -> JournalFile {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw JournalError.fileSystem(operation: operation, path: path, errno: errno)
        }
        return JournalFile(descriptor: descriptor, path: path)
    }

    private func size(of file: JournalFile) throws -> Int {
        var status = stat()
        if fstat(file.descriptor, &status) != 0 {
            throw JournalError.fileSystem(operation: "fstat", path: file.path, errno: errno)
        }
        return Int(status.st_size)
    }
}
