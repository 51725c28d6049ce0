/// Values (a `SleepQueue`'s sleepers) ordered by deadline: the earliest deadline first,
/// ties in order of their ids (the owner hands out increasing ids: arrival order).
///
/// A binary min-heap with in-order fast paths: a few first-in first-out runs, each taking
/// entries that come no earlier than its last one. Sleepers of one latency arrive in
/// deadline order, so with 100,000 restarts sleeping (mandrill-bench `inflight`) they all
/// join one run: no sift, and no walk down seventeen levels of a heap that no longer fits
/// in the cache when the timer wakes each one. Sleepers of other latencies (the lease
/// keeper's, the broker's tick) keep runs of their own: with a single run, the first
/// sleeper with a later deadline sent every restart after it to the heap. Entries that
/// fit no run (a shorter backoff after a longer restart) go to the heap; the earliest of
/// the heads comes out first.
///
/// Deadlines are whole nanoseconds from an origin the owner picks (`SleepQueue` ticks),
/// not `ContinuousClock.Instant`: that type is resilient, so every copy and comparison of
/// an entry during a sift went through its value witnesses and `Duration`'s `<` — with
/// 100,000 sleepers about 6% of mandrill-bench `inflight`'s instructions.
///
/// Sendable: a value type of Sendable parts.
struct DeadlineHeap<Value: Sendable>: Sendable {
    /// One value's place in the heap.
    struct Entry: Sendable {
        /// Nanoseconds from the owner's origin.
        let deadline: Int64
        let id: UInt64
        let value: Value

        /// Earlier deadline first; the older id first on a tie (ids only grow).
        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    /// Entries in order, taken from `start` on; the consumed prefix is dropped in bulk.
    private struct Run: Sendable {
        var entries: [Entry] = []
        var start = 0

        var isEmpty: Bool { start == entries.count }
        var count: Int { entries.count - start }
        var head: Entry? { isEmpty ? nil : entries[start] }
        var last: Entry? { isEmpty ? nil : entries[entries.count - 1] }

        mutating func removeFirst() -> Entry {
            let first = entries[start]
            start += 1
            if start == entries.count {
                // A small buffer is kept for the next entries; a burst's is given back.
                entries.removeAll(keepingCapacity: entries.capacity <= 4_096)
                start = 0
            } else if start > 1_024 && start * 2 > entries.count {
                entries.removeFirst(start)
                start = 0
            }
            return first
        }

        mutating func retain(where keep: (Entry) -> Bool) {
            entries = entries[start...].filter(keep)
            start = 0
        }
    }

    /// In-order runs kept at most: one per latency in use, roughly.
    static var maxRuns: Int { 4 }

    /// The heap, for entries that fit no run.
    private var entries: [Entry] = []
    private var runs: [Run] = []

    var count: Int { runs.reduce(entries.count) { $0 + $1.count } }
    var isEmpty: Bool { count == 0 }
    /// The earliest entry, if any.
    var first: Entry? {
        earliestRun().map { runs[$0].head! } ?? entries.first
    }

    mutating func insert(_ entry: Entry) {
        if let run = runFor(entry) {
            runs[run].entries.append(entry)
            return
        }
        entries.append(entry)
        siftUp(from: entries.count - 1)
    }

    /// Removes and returns the earliest entry.
    @discardableResult
    mutating func removeFirst() -> Entry? {
        if let run = earliestRun() { return runs[run].removeFirst() }
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
        for run in runs.indices { runs[run].retain(where: keep) }
        entries.removeAll { !keep($0) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index)
        }
    }

    /// The run whose head comes first, when that head also comes before the heap's top.
    private func earliestRun() -> Int? {
        var best: Int?
        for run in runs.indices {
            guard let head = runs[run].head else { continue }
            if let current = best, !head.precedes(runs[current].head!) { continue }
            best = run
        }
        guard let best else { return nil }
        if let top = entries.first, top.precedes(runs[best].head!) { return nil }
        return best
    }

    /// The run `entry` can join in order: the one with the latest last entry not after it
    /// (runs stay tight), else an empty run, else a new one while there are fewer than
    /// `maxRuns`; nil sends it to the heap.
    private mutating func runFor(_ entry: Entry) -> Int? {
        var fit: Int?
        var empty: Int?
        for run in runs.indices {
            guard let last = runs[run].last else {
                empty = empty ?? run
                continue
            }
            guard !entry.precedes(last) else { continue }
            if let current = fit, !runs[current].last!.precedes(last) { continue }
            fit = run
        }
        if let fit { return fit }
        if let empty { return empty }
        guard runs.count < Self.maxRuns else { return nil }
        runs.append(Run())
        return runs.count - 1
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

extension DeadlineHeap.Entry: Equatable where Value: Equatable {}
