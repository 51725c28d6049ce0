/// Why a journal operation failed.
///
/// Sendable: a plain enum. `fsyncFailed`, `writeFailed` and `fileSystem` raised by the writer
/// are fatal: the journal fails that append and every later one, and never retries an fsync
/// (after a failed fsync the kernel may have dropped the dirty pages, so a retry that
/// "succeeds" would lie). The daemon logs it and exits 74.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the journal directory's lock.
    case locked(directory: String)
    /// An fsync failed; the journal stopped accepting appends.
    case fsyncFailed(path: String, errno: Int32)
    /// A write failed; the journal stopped accepting appends.
    case writeFailed(path: String, errno: Int32)
    /// Another file operation (open, rename, read, …) failed.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// A record encodes to more than `Journal.maxRecordBytes`; nothing was appended.
    case recordTooLarge(bytes: Int, limit: Int)
    /// A snapshot claimed to cover a sequence number the journal has not assigned yet.
    case snapshotBeyondJournal(sequence: UInt64, lastSequence: UInt64)
    /// The journal is closed or closing.
    case closed

    /// A stable machine-readable code, for logs and metrics.
    public var code: String {
        switch self {
        case .locked: "journal_locked"
        case .fsyncFailed: "journal_fsync_failed"
        case .writeFailed: "journal_write_failed"
        case .fileSystem: "journal_file_system"
        case .recordTooLarge: "journal_record_too_large"
        case .snapshotBeyondJournal: "journal_snapshot_beyond_journal"
        case .closed: "journal_closed"
        }
    }

    /// Whether the journal is unusable after this error (the daemon exits 74).
    public var isFatal: Bool {
        switch self {
        case .fsyncFailed, .writeFailed, .fileSystem: true
        case .locked, .recordTooLarge, .snapshotBeyondJournal, .closed: false
        }
    }

    /// A human-readable message naming what failed and where.
    public var description: String {
        switch self {
        case .locked(let directory):
            "journal \(directory) is locked by another process"
        case .fsyncFailed(let path, let errno):
            "fsync of \(path) failed (errno \(errno)); journal stopped"
        case .writeFailed(let path, let errno):
            "write to \(path) failed (errno \(errno)); journal stopped"
        case .fileSystem(let operation, let path, let errno):
            "\(operation) of \(path) failed (errno \(errno))"
        case .recordTooLarge(let bytes, let limit):
            "record of \(bytes) bytes exceeds the journal limit of \(limit) bytes"
        case .snapshotBeyondJournal(let sequence, let lastSequence):
            "snapshot covers sequence \(sequence) but the journal's last is \(lastSequence)"
        case .closed:
            "journal is closed"
        }
    }
}
