import Foundation
import Synchronization

@testable import MandrillCore

/// A `JournalFileSystem` that passes through to `PosixFileSystem`, counts fsyncs and writes,
/// tracks which records each fsync made durable, and can fail fsyncs or writes on demand.
///
/// Sendable: its counters sit behind a Mutex.
final class CountingJournalFileSystem: JournalFileSystem {
    struct Counts: Sendable {
        /// fsync calls on files (attempts, failed ones included).
        var fileFsyncs = 0
        /// fsync calls on directories.
        var directoryFsyncs = 0
        /// write calls.
        var writes = 0
        /// Highest record sequence written to a segment so far.
        var writtenSequence: UInt64 = 0
        /// Highest record sequence written before a successful segment fsync.
        var durableSequence: UInt64 = 0
        /// When set, every fsync fails with this errno.
        var failFsyncErrno: Int32?
        /// When set, every write fails with this errno.
        var failWriteErrno: Int32?
    }

    let counts = Mutex(Counts())
    private let real = PosixFileSystem()
    /// Simulated disk latency per file fsync, so concurrent appends pile up like on a real disk.
    private let fsyncLatency: Duration

    init(fsyncLatency: Duration = .zero) {
        self.fsyncLatency = fsyncLatency
    }

    var snapshot: Counts { counts.withLock { $0 } }

    func failFsyncs(errno: Int32 = EIO) { counts.withLock { $0.failFsyncErrno = errno } }
    func failWrites(errno: Int32 = ENOSPC) { counts.withLock { $0.failWriteErrno = errno } }

    func createDirectory(_ path: String) throws { try real.createDirectory(path) }
    func lockExclusive(_ path: String) throws -> JournalFile? { try real.lockExclusive(path) }
    func unlock(_ file: JournalFile) { real.unlock(file) }
    func openForAppend(_ path: String, create: Bool) throws -> JournalFile {
        try real.openForAppend(path, create: create)
    }

    func write(_ file: JournalFile, _ bytes: UnsafeRawBufferPointer) throws {
        let failure = counts.withLock { counts in
            counts.writes += 1
            return counts.failWriteErrno
        }
        if let failure { throw JournalError.writeFailed(path: file.path, errno: failure) }
        try real.write(file, bytes)
        if file.path.hasSuffix(".seg"), let highest = Self.highestSequence(in: bytes) {
            counts.withLock { $0.writtenSequence = max($0.writtenSequence, highest) }
        }
    }

    func fsync(_ file: JournalFile) throws {
        let failure = counts.withLock { counts in
            counts.fileFsyncs += 1
            return counts.failFsyncErrno
        }
        if let failure { throw JournalError.fsyncFailed(path: file.path, errno: failure) }
        if fsyncLatency > .zero { Thread.sleep(forTimeInterval: Self.seconds(fsyncLatency)) }
        try real.fsync(file)
        counts.withLock { $0.durableSequence = $0.writtenSequence }
    }

    func truncate(_ file: JournalFile, to length: Int) throws { try real.truncate(file, to: length) }
    func close(_ file: JournalFile) { real.close(file) }

    func fsyncDirectory(_ path: String) throws {
        let failure = counts.withLock { counts in
            counts.directoryFsyncs += 1
            return counts.failFsyncErrno
        }
        if let failure { throw JournalError.fsyncFailed(path: path, errno: failure) }
        try real.fsyncDirectory(path)
    }

    func readFile(_ path: String) throws -> [UInt8] { try real.readFile(path) }
    func rename(_ from: String, to: String) throws { try real.rename(from, to: to) }
    func remove(_ path: String) throws { try real.remove(path) }
    func listDirectory(_ path: String) throws -> [String] { try real.listDirectory(path) }
    func fileSize(_ path: String) throws -> Int { try real.fileSize(path) }

    /// The sequence of the last whole frame in a write (writes carry whole frames).
    private static func highestSequence(in bytes: UnsafeRawBufferPointer) -> UInt64? {
        var offset = JournalSegment.hasValidHeader(bytes) ? JournalSegment.header.count : 0
        var highest: UInt64?
        while bytes.count - offset >= JournalFrame.headerBytes + 8 {
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            highest = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            offset += JournalFrame.headerBytes + length
        }
        return highest
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
