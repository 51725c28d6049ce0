import Glibc

extension ChildProcess {
    /// Why supervision ended.
    enum Ending: Sendable {
        case exited, timedOut, cancelled
    }

    /// How the child ended and why.
    struct Supervision: Sendable {
        let termination: ChildProcessResult.Termination
        let ending: Ending
    }

    private enum Event: Sendable {
        case exited(ChildProcessResult.Termination)
        case timeoutExpired
        case cancelled
        case killDeadline
        case killTimerStopped
    }

    /// Waits for the child to be reaped, terminating its group on timeout or cancellation:
    /// SIGTERM first, SIGKILL `killAfter` later. Always returns after the child is reaped.
    func supervise<C: Clock<Duration>>(pid: pid_t, group: ProcessGroup, clock: C) async -> Supervision {
        await withTaskGroup(of: Event.self) { tasks in
            tasks.addTask {
                .exited(await ProcessReaper.waitForExit(of: pid))
            }
            tasks.addTask {
                do {
                    try await clock.sleep(for: timeout)
                    return .timeoutExpired
                } catch {
                    return .cancelled
                }
            }
            var ending = Ending.exited
            var killTimer: Task<Bool, Never>?
            while let event = await tasks.next() {
                switch event {
                case .exited(let termination):
                    killTimer?.cancel()
                    tasks.cancelAll()
                    return Supervision(termination: termination, ending: ending)
                case .timeoutExpired, .cancelled:
                    guard ending == .exited else { continue }
                    ending = if case .timeoutExpired = event { .timedOut } else { .cancelled }
                    group.send(SIGTERM)
                    // Unstructured on purpose: it must keep counting after our task is
                    // cancelled, which a child task of this group would not.
                    let timer = Task { (try? await clock.sleep(for: killAfter)) != nil }
                    killTimer = timer
                    tasks.addTask { await timer.value ? .killDeadline : .killTimerStopped }
                case .killDeadline:
                    group.send(SIGKILL)
                case .killTimerStopped:
                    continue
                }
            }
            // Unreachable: the reaper task always reports.
            return Supervision(termination: .unknown, ending: ending)
        }
    }
}
