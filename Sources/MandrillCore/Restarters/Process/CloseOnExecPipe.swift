import Glibc

/// A pipe whose ends are close-on-exec from the moment they exist.
///
/// Sendable: two fds. Atomic O_CLOEXEC matters because another thread may spawn a
/// process between pipe() and fcntl(); Swift's Glibc module does not import `pipe2`, so
/// it is looked up at run time, with pipe() plus fcntl() as the fallback.
struct CloseOnExecPipe: Sendable {
    /// The end the parent reads.
    let readEnd: Int32
    /// The end the writer holds.
    let writeEnd: Int32

    /// Why no pipe was made: the `errno` value.
    struct Failure: Error {
        let code: Int32
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32

    /// Address of glibc's `pipe2`, 0 if absent.
    private static let pipe2Address = Int(bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2"))

    /// Creates a pipe, non-blocking on both ends when asked; fails with `errno`.
    static func make(nonBlocking: Bool = false) -> Result<CloseOnExecPipe, Failure> {
        var fds: [Int32] = [-1, -1]
        let extra = nonBlocking ? O_NONBLOCK : 0
        if let address = UnsafeRawPointer(bitPattern: pipe2Address) {
            let pipe2 = unsafeBitCast(address, to: Pipe2.self)
            guard pipe2(&fds, O_CLOEXEC | extra) == 0 else {
                return .failure(Failure(code: errno))
            }
        } else {
            guard pipe(&fds) == 0 else {
                return .failure(Failure(code: errno))
            }
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | extra)
            }
        }
        return .success(CloseOnExecPipe(readEnd: fds[0], writeEnd: fds[1]))
    }

    /// Closes both ends.
    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
