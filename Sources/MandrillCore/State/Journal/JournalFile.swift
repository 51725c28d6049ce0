/// An open file of the journal: its descriptor and, for error messages, its path.
///
/// Sendable: two immutable values.
public struct JournalFile: Sendable, Hashable {
    /// The POSIX file descriptor (or a fake's handle).
    public let descriptor: Int32
    /// Where the file lives.
    public let path: String

    /// Wraps an open descriptor.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }
}
