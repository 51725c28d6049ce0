/// A binary min-heap of sleeper ids ordered by deadline: the earliest deadline on top,
/// ties in insertion order.
///
/// Deadlines are whole nanoseconds from an origin the owner picks (`SleepQueue` ticks),
/// not `ContinuousClock.Instant`: that type is resilient, so every copy and comparison of
/// an entry during a sift went through its value witnesses and `Duration`'s `<` — with
/// 100,000 sleepers about 6% of mandrill-bench `inflight`'s instructions.
///
/// Sendable: a value type of Sendable parts.
struct DeadlineHeap: Sendable {
    /// One sleeper's place in the heap.
    struct Entry: Sendable, Equatable {
        /// Nanoseconds from the owner's origin.
        let deadline: Int64
        let id: UInt64

        /// Earlier deadline first; the older id first on a tie (ids only grow).
        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    private var entries: [Entry] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    /// The earliest entry, if any.
    var first: Entry? { entries.first }

    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        siftUp(from: entries.count - 1)
    }

    /// Removes and returns the earliest entry.
    @discardableResult
    mutating func removeFirst() -> Entry? {
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
