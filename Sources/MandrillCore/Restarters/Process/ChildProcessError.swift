import Glibc

/// Why a child could not be started.
///
/// Sendable: a value type.
public struct ChildProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed.
    public enum Code: String, Sendable {
        /// The argv was empty or its first element was empty.
        case emptyCommand
        /// No pipe could be created (usually out of file descriptors).
        case pipeFailed
        /// `posix_spawn` failed, for instance because the executable does not exist.
        case spawnFailed
    }

    /// The step that failed.
    public let code: Code
    /// `argv[0]` as given.
    public let executable: String
    /// The `errno` value reported, 0 when none applies.
    public let systemError: Int32

    /// Creates an error.
    public init(_ code: Code, executable: String, systemError: Int32 = 0) {
        self.code = code
        self.executable = executable
        self.systemError = systemError
    }

    /// Whether trying again cannot help: the command is missing, not executable or empty.
    /// Resource shortages (EAGAIN, ENOMEM, EMFILE) are worth retrying.
    public var isPermanent: Bool {
        switch code {
        case .emptyCommand:
            return true
        case .pipeFailed:
            return false
        case .spawnFailed:
            return [ENOENT, EACCES, ENOEXEC, ENOTDIR, ELOOP, ENAMETOOLONG, EPERM, EISDIR]
                .contains(systemError)
        }
    }

    public var description: String {
        switch code {
        case .emptyCommand:
            return "command is empty"
        case .pipeFailed:
            return "cannot create pipes for \(executable): \(Self.message(systemError))"
        case .spawnFailed:
            return "cannot run \(executable): \(Self.message(systemError))"
        }
    }

    private static func message(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
