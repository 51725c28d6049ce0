import Glibc

/// Waits for a child with `waitpid` on a dedicated thread and decodes how it ended.
///
/// Not instantiable; a namespace.
enum ProcessReaper {
    /// Suspends until the child `pid` has ended and has been reaped.
    static func waitForExit(of pid: pid_t) async -> ChildProcessResult.Termination {
        await DedicatedThread.run(name: "mandrill.waitpid") {
            blockingWait(for: pid)
        }
    }

    private static func blockingWait(for pid: pid_t) -> ChildProcessResult.Termination {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, 0)
            if reaped == pid {
                return decode(status)
            }
            if reaped == -1 && errno == EINTR {
                continue
            }
            // ECHILD: something else reaped it (SIGCHLD set to SIG_IGN does that).
            return .unknown
        }
    }

    /// Decodes a wait status; WIFEXITED and friends are C macros Swift cannot import.
    static func decode(_ status: Int32) -> ChildProcessResult.Termination {
        let signal = status & 0x7f
        if signal == 0 {
            return .exited((status >> 8) & 0xff)
        }
        return .signalled(signal)
    }
}
