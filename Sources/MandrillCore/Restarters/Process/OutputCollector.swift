import Foundation
import Glibc
import Synchronization

/// Drains a child's stdout and stderr on one dedicated thread, keeping at most `limit`
/// bytes of each and discarding (but still reading) the rest, so the child never blocks.
///
/// Sendable: its fds are immutable and its state is behind a `Mutex`. Reading ends at EOF
/// on both pipes or at `stop()`; the reader closes the pipes itself when it ends.
final class OutputCollector: Sendable {
    /// What the reader collected, and whether it read both streams to EOF.
    struct Collected: Sendable {
        let standardOutput: CapturedOutput
        let standardError: CapturedOutput
        let reachedEndOfFile: Bool
    }

    private struct State {
        var collected: Collected?
        var waiters: [CheckedContinuation<Collected, Never>] = []
    }

    private let limit: Int
    // A self-pipe that wakes the reader's poll; both ends live as long as this object, so
    // `stop()` can never write into a closed pipe.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = Mutex(State())

    /// Prepares a collector; throws `ChildProcessError(.pipeFailed)` when out of fds.
    init(limit: Int, executable: String) throws(ChildProcessError) {
        switch CloseOnExecPipe.make(nonBlocking: true) {
        case .success(let wake):
            self.wakeRead = wake.readEnd
            self.wakeWrite = wake.writeEnd
        case .failure(let failure):
            throw ChildProcessError(.pipeFailed, executable: executable, systemError: failure.code)
        }
        self.limit = max(0, limit)
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts reading the child's pipes on a new thread; takes ownership of both fds.
    func start(reading child: SpawnedChild) {
        let thread = Thread { [self] in
            let collected = drain(child.standardOutput, child.standardError)
            let waiters = state.withLock { state in
                state.collected = collected
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume(returning: collected) }
        }
        thread.name = "mandrill.output"
        thread.start()
    }

    /// Makes the reader stop at once, even if the pipes are still open.
    func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Suspends until reading has ended (EOF on both pipes, or `stop()`); call after `start`.
    func collected() async -> Collected {
        await withCheckedContinuation { continuation in
            let collected = state.withLock { state in
                if state.collected == nil {
                    state.waiters.append(continuation)
                }
                return state.collected
            }
            if let collected {
                continuation.resume(returning: collected)
            }
        }
    }

    private func drain(_ standardOutput: Int32, _ standardError: Int32) -> Collected {
        var fds = [standardOutput, standardError]
        var captured = [CapturedOutput(), CapturedOutput()]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        reading: while fds.contains(where: { $0 >= 0 }) {
            // poll ignores negative fds, so a closed stream simply drops out.
            var polls = (fds + [wakeRead]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polls, nfds_t(polls.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break reading
            }
            if polls[2].revents != 0 {
                break reading
            }
            for index in 0..<2 where polls[index].revents != 0 {
                let count = read(fds[index], buffer.baseAddress, buffer.count)
                if count > 0 {
                    captured[index].append(UnsafeRawBufferPointer(rebasing: buffer[..<count]), limit: limit)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fds[index])
                    fds[index] = -1
                }
            }
        }
        let reachedEndOfFile = fds.allSatisfy { $0 < 0 }
        fds.filter { $0 >= 0 }.forEach { close($0) }
        return Collected(standardOutput: captured[0], standardError: captured[1], reachedEndOfFile: reachedEndOfFile)
    }
}
