import Synchronization

/// One call's continuation and where the call stands, so that cancellation, the I/O
/// queue and completion agree on who resumes it, exactly once. Sendable: the state is a
/// `Mutex`.
final class RedisPendingCall: Sendable {
    typealias Continuation = CheckedContinuation<[RESPValue], any Error>

    private enum Phase {
        case created
        case cancelledBeforeInstall
        case queued(Continuation)
        case running(Continuation)
        case cancelledWhileRunning(Continuation)
        case finished
    }

    private let phase = Mutex(Phase.created)

    /// Stores the continuation; returns false, having resumed it with
    /// `CancellationError`, if the task was already cancelled.
    func install(_ continuation: Continuation) -> Bool {
        let cancelled = phase.withLock { phase in
            guard case .created = phase else {
                phase = .finished
                return true
            }
            phase = .queued(continuation)
            return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
        return !cancelled
    }

    /// Called on the I/O queue: whether the call should do its I/O.
    func start() -> Bool {
        phase.withLock { phase in
            guard case .queued(let continuation) = phase else { return false }
            phase = .running(continuation)
            return true
        }
    }

    /// Cancels the call; returns true if its I/O is under way and must be interrupted.
    func cancel() -> Bool {
        let (waiting, running) = phase.withLock { phase -> (Continuation?, Bool) in
            switch phase {
            case .created:
                phase = .cancelledBeforeInstall
                return (nil, false)
            case .queued(let continuation):
                phase = .finished
                return (continuation, false)
            case .running(let continuation):
                phase = .cancelledWhileRunning(continuation)
                return (nil, true)
            case .cancelledBeforeInstall, .cancelledWhileRunning, .finished:
                return (nil, false)
            }
        }
        waiting?.resume(throwing: CancellationError())
        return running
    }

    /// Resumes the caller with `result`, or with `CancellationError` if it was cancelled.
    func finish(_ result: Result<[RESPValue], RedisError>) {
        let (continuation, cancelled) = phase.withLock { phase -> (Continuation?, Bool) in
            defer { phase = .finished }
            switch phase {
            case .running(let continuation): return (continuation, false)
            case .cancelledWhileRunning(let continuation): return (continuation, true)
            default: return (nil, false)
            }
        }
        if cancelled {
            continuation?.resume(throwing: CancellationError())
        } else {
            continuation?.resume(with: result.mapError { $0 as any Error })
        }
    }
}
