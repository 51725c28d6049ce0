#if canImport(Glibc)
import Glibc
#endif

/// A descriptor pair that becomes readable, and stays readable, once `signal()` is called, so every
/// thread polling it wakes up. Used to interrupt the server's waits on `stop()`.
struct WakePipe: Sendable {
    /// The end the waiting threads poll.
    let readEnd: Int32
    /// The end `signal()` writes to.
    let writeEnd: Int32

    /// Opens the pair, or returns nil when the process is out of descriptors.
    init?() {
        // A socket pair rather than pipe(): it is created close-on-exec atomically, so a
        // restart command spawned meanwhile never inherits it.
        var ends: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &ends) == 0 else { return nil }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Wakes every waiter, now and later (the byte is never read).
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Closes both ends; only once no thread polls it any more.
    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
