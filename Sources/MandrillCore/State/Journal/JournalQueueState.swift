/// What appenders and the writer thread share: the group-commit state machine.
///
/// Sendable: plain values and continuations; it only lives inside `JournalQueue`'s Mutex.
/// Methods decide; the owner resumes continuations and wakes the writer after unlocking.
struct JournalQueueState: Sendable {
    /// Records taken from appenders, sequences assigned, not yet handed to the writer.
    var pending: [StateRecord] = []
    /// Appends waiting for durability, in sequence order.
    var waiters: [JournalWaiter] = []
    var compactions: [JournalCompactionRequest] = []
    var closeWaiters: [UnsafeContinuation<Void, any Error>] = []
    /// The sequence the next appended record gets.
    var nextSequence: UInt64 = 1
    /// Set by the first write or fsync error; every later request fails with it.
    var failure: JournalError?
    var closeRequested = false
    var closed = false
    /// The writer found nothing to do and is parked on the semaphore.
    var writerIdle = false

    /// The sequence of the last record appended (0 when none).
    var lastAssigned: UInt64 { nextSequence - 1 }

    /// Queues records and their waiter (none when written behind); returns whether to wake
    /// the writer, or why not.
    mutating func admit(
        _ records: some Collection<StateRecord>, continuation: UnsafeContinuation<UInt64, any Error>?
    ) -> Result<Bool, JournalError> {
        if let failure { return .failure(failure) }
        if closeRequested { return .failure(.closed) }
        for var record in records {
            record.sequence = nextSequence
            nextSequence += 1
            pending.append(record)
        }
        if let continuation { waiters.append(JournalWaiter(sequence: lastAssigned, continuation: continuation)) }
        return .success(takeWriterIdle())
    }

    /// Queues a snapshot covering `sequence` (or everything appended so far).
    mutating func admitCompaction(
        _ snapshot: [UInt8], covering sequence: UInt64?, continuation: UnsafeContinuation<Void, any Error>
    ) -> Result<Bool, JournalError> {
        if let failure { return .failure(failure) }
        if closeRequested { return .failure(.closed) }
        let covered = sequence ?? lastAssigned
        guard covered <= lastAssigned else {
            return .failure(.snapshotBeyondJournal(sequence: covered, lastSequence: lastAssigned))
        }
        compactions.append(JournalCompactionRequest(snapshot: snapshot, sequence: covered, continuation: continuation))
        return .success(takeWriterIdle())
    }

    /// Asks the writer to finish; `true` when the journal is already closed.
    mutating func requestClose(continuation: UnsafeContinuation<Void, any Error>?) -> (closed: Bool, wake: Bool) {
        if closed { return (true, false) }
        if let continuation { closeWaiters.append(continuation) }
        closeRequested = true
        return (false, takeWriterIdle())
    }

    /// Hands everything pending to the writer, or marks it idle when there is nothing.
    mutating func takeWork(into batch: inout [StateRecord]) -> JournalWork {
        if pending.isEmpty && compactions.isEmpty && !closeRequested {
            writerIdle = true
            return .idle
        }
        // Swapping keeps both arrays' capacity alive: no allocation per batch.
        swap(&pending, &batch)
        defer { compactions.removeAll() }
        return .work(compactions: compactions, closing: closeRequested)
    }

    /// Moves the waiters covered by `sequence` into `ready`.
    mutating func takeWaiters(through sequence: UInt64, into ready: inout [JournalWaiter]) {
        if let last = waiters.last, last.sequence <= sequence, ready.isEmpty {
            swap(&waiters, &ready)
            return
        }
        let count = waiters.prefix { $0.sequence <= sequence }.count
        ready.append(contentsOf: waiters[..<count])
        waiters.removeFirst(count)
    }

    /// Records a fatal error and takes every waiting append and snapshot to fail them.
    mutating func fail(_ error: JournalError) -> ([JournalWaiter], [JournalCompactionRequest]) {
        if failure == nil { failure = error }
        pending.removeAll()
        defer {
            waiters.removeAll()
            compactions.removeAll()
        }
        return (waiters, compactions)
    }

    /// Marks the journal closed and takes the `close()` calls to resume.
    mutating func finishClose() -> [UnsafeContinuation<Void, any Error>] {
        closed = true
        defer { closeWaiters.removeAll() }
        return closeWaiters
    }

    private mutating func takeWriterIdle() -> Bool {
        defer { writerIdle = false }
        return writerIdle
    }
}
