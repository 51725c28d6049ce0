/// Values (a `SleepQueue`'s sleeper slots) ordered by deadline: the earliest deadline
/// first, ties in order of their ids (the owner hands out increasing ids: arrival order).
///
/// A binary min-heap with an in-order fast path: an entry that comes no earlier than the
/// last one taken in order joins a first-in first-out run instead of the heap. Sleepers of
/// one restart latency arrive in deadline order, so with 100,000 of them (mandrill-bench
/// `inflight`) every entry takes the run: no sift, and no walk down seventeen levels of a
/// heap that no longer fits in the cache when the timer wakes each one. Out-of-order
/// entries (a shorter backoff after a longer restart) go to the heap; the earliest of
/// the two heads comes out first.
///
/// Deadlines are whole nanoseconds from an origin the owner picks (`SleepQueue` ticks),
/// not `ContinuousClock.Instant`: that type is resilient, so every copy and comparison of
/// an entry during a sift went through its value witnesses and `Duration`'s `<` — with
/// 100,000 sleepers about 6% of mandrill-bench `inflight`'s instructions.
///
/// Sendable when its values are.
struct DeadlineHeap<Value> {
    /// One value's place in the heap.
    struct Entry {
        /// Nanoseconds from the owner's origin.
        let deadline: Int64
        let id: UInt64
        let value: Value

        /// Earlier deadline first; the older id first on a tie (ids only grow).
        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    /// The heap, for entries that arrived out of order.
    private var entries: [Entry] = []
    /// Entries in order from `runStart` on; the consumed prefix is dropped in bulk.
    private var run: [Entry] = []
    private var runStart = 0

    var count: Int { entries.count + run.count - runStart }
    var isEmpty: Bool { count == 0 }
    /// The earliest entry, if any.
    var first: Entry? {
        guard runStart < run.count else { return entries.first }
        guard let top = entries.first, top.precedes(run[runStart]) else { return run[runStart] }
        return top
    }

    mutating func insert(_ entry: Entry) {
        if runStart == run.count || !entry.precedes(run[run.count - 1]) {
            run.append(entry)
            return
        }
        entries.append(entry)
        siftUp(from: entries.count - 1)
    }

    /// Removes and returns the earliest entry.
    @discardableResult
    mutating func removeFirst() -> Entry? {
        if runStart < run.count, entries.first.map({ !$0.precedes(run[runStart]) }) ?? true {
            let first = run[runStart]
            runStart += 1
            if runStart == run.count {
                // A small buffer is kept for the next sleepers; a burst's is given back.
                run.removeAll(keepingCapacity: run.capacity <= 4_096)
                runStart = 0
            } else if runStart > 1_024 && runStart * 2 > run.count {
                run.removeFirst(runStart)
                runStart = 0
            }
            return first
        }
        guard !entries.isEmpty else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return last }
        let first = entries[0]
        entries[0] = last
        siftDown(from: 0)
        return first
    }

    /// Keeps only the entries `keep` accepts (used to drop cancelled sleepers in bulk).
    mutating func retain(where keep: (Entry) -> Bool) {
        run = run[runStart...].filter(keep)
        runStart = 0
        entries.removeAll { !keep($0) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index)
        }
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        let entry = entries[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.precedes(entries[parent]) else { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = entry
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let entry = entries[parent]
        let count = entries.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, entries[child + 1].precedes(entries[child]) { child += 1 }
            guard entries[child].precedes(entry) else { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = entry
    }
}

extension DeadlineHeap: Sendable where Value: Sendable {}
extension DeadlineHeap.Entry: Sendable where Value: Sendable {}
extension DeadlineHeap.Entry: Equatable where Value: Equatable {}
