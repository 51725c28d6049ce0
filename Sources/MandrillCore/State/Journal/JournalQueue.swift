import Dispatch
import Synchronization

/// The hand-off between appending tasks and the journal's writer thread.
///
/// Sendable: its mutable state sits behind a `Mutex`; the semaphore and the atomic are
/// thread-safe. Continuations are resumed and the writer woken only after unlocking.
final class JournalQueue: Sendable {
    let state = Mutex(JournalQueueState())
    /// Bytes in live segments, kept by the writer for `Journal.bytesSinceSnapshot`.
    let storedBytes = Atomic<Int>(0)
    // Signalled once per idle period (see `JournalQueueState.writerIdle`), so it never
    // accumulates stale permits.
    private let wakeup = DispatchSemaphore(value: 0)
    /// Sees written records before their appends resume (see `Journal.open`).
    private let onDurable: @Sendable (ArraySlice<StateRecord>) -> Void

    init(onDurable: @escaping @Sendable (ArraySlice<StateRecord>) -> Void = { _ in }) {
        self.onDurable = onDurable
    }

    // MARK: Appender side

    /// Queues records and their waiter; when the journal takes no more records, the
    /// waiter is resumed with the error at once.
    func enqueue(_ records: [StateRecord], continuation: UnsafeContinuation<UInt64, any Error>) {
        switch state.withLock({ $0.admit(records, continuation: continuation) }) {
        case .success(let wake):
            if wake { wakeup.signal() }
        case .failure(let error):
            continuation.resume(throwing: error)
        }
    }

    /// Queues records with no waiter; returns the first one's sequence.
    func enqueueBehind(_ records: some Collection<StateRecord>) -> Result<UInt64, JournalError> {
        let admitted = state.withLock { state in
            state.admit(records, continuation: nil).map { wake in (state.lastAssigned - UInt64(records.count) + 1, wake) }
        }
        return admitted.map { first, wake in
            if wake { wakeup.signal() }
            return first
        }
    }

    func enqueueCompaction(
        _ snapshot: [UInt8], covering sequence: UInt64?, continuation: UnsafeContinuation<Void, any Error>
    ) {
        let admission = state.withLock {
            $0.admitCompaction(snapshot, covering: sequence, continuation: continuation)
        }
        switch admission {
        case .success(let wake): if wake { wakeup.signal() }
        case .failure(let error): continuation.resume(throwing: error)
        }
    }

    /// Asks the writer to flush and stop; `continuation` (if any) resumes when it has.
    func requestClose(continuation: UnsafeContinuation<Void, any Error>?) {
        let (closed, wake) = state.withLock { $0.requestClose(continuation: continuation) }
        if wake { wakeup.signal() }
        guard closed, let continuation else { return }
        if let failure = state.withLock({ $0.failure }) {
            continuation.resume(throwing: failure)
        } else {
            continuation.resume()
        }
    }

    var lastAssigned: UInt64 { state.withLock { $0.lastAssigned } }

    // MARK: Writer side

    /// Takes everything pending into `batch`, or returns `.idle`.
    func takeWork(into batch: inout [StateRecord]) -> JournalWork {
        state.withLock { $0.takeWork(into: &batch) }
    }

    /// Parks the writer thread until an appender, snapshot or close wakes it.
    func waitForWork() {
        // Not a request wait: the thread idles here for as long as nothing is appended.
        wakeup.wait()
    }

    /// Hands the durable `records` to `onDurable`, then resumes every append whose last
    /// record is at or below the last of them.
    func complete(_ records: ArraySlice<StateRecord>, reusing ready: inout [JournalWaiter]) {
        guard let sequence = records.last?.sequence else { return }
        onDurable(records)
        state.withLock { $0.takeWaiters(through: sequence, into: &ready) }
        for waiter in ready { waiter.continuation.resume(returning: waiter.sequence) }
        ready.removeAll(keepingCapacity: true)
    }

    /// Poisons the journal: fails every waiting append and snapshot, and all later ones.
    func fail(_ error: JournalError, alsoFailing taken: some Sequence<JournalCompactionRequest>) {
        let (waiters, compactions) = state.withLock { $0.fail(error) }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
        for request in compactions { request.continuation.resume(throwing: error) }
        for request in taken { request.continuation.resume(throwing: error) }
    }

    /// Marks the journal closed and resumes `close()` callers.
    func finishClose() {
        let (waiters, failure) = state.withLock { ($0.finishClose(), $0.failure) }
        for waiter in waiters {
            if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
        }
    }
}
