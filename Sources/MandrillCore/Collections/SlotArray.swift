/// Values in numbered slots: `insert` hands out a slot (the lowest free one, else a new
/// one at the end) and whoever keeps the number reaches the value directly: no hashing,
/// one cache line. During a burst slots are appended in arrival order, so a later walk in
/// that order (a timer waking a burst's sleepers, acks in delivery order) reads memory in
/// order. With 100,000 messages in flight (mandrill-bench `inflight`), dictionaries by id
/// cost scattered cache misses on every insert and remove and rehashed as they grew.
///
/// After a burst the table shrinks back even while a few slots stay taken (the lease
/// keeper's sleep, a long restart): new values take the lowest free slots, free slots at
/// the end are dropped, and a buffer left mostly empty is given back. A table emptied
/// outright keeps its buffers only when it held at most `keptCapacity` slots.
struct SlotArray<Element> {
    private var elements: [Element?] = []
    /// Free slots, a binary min-heap; entries at or past `elements.count` are stale (their
    /// slots were dropped from the end) and skipped.
    private var free: [Int] = []
    private var occupiedCount = 0

    /// Slots kept (emptied) when the table empties.
    static var keptCapacity: Int { 4_096 }

    /// An empty table.
    init() {}

    /// Occupied slots.
    var count: Int { occupiedCount }
    var isEmpty: Bool { occupiedCount == 0 }
    /// Slots occupied or free, and the room the buffer has (for tests of reuse and release).
    var counts: (slots: Int, capacity: Int) { (elements.count, elements.capacity) }

    /// Stores `element` in the lowest free slot, or a new one, and returns the slot.
    mutating func insert(_ element: Element) -> Int {
        occupiedCount += 1
        while let slot = popLowestFree() {
            if slot < elements.count {
                elements[slot] = element
                return slot
            }
        }
        elements.append(element)
        return elements.count - 1
    }

    /// The value in `slot`; nil when it is free or was never handed out.
    subscript(slot: Int) -> Element? {
        slot >= 0 && slot < elements.count ? elements[slot] : nil
    }

    /// Reads the value in `slot` in place, without copying it out; nil when it is free.
    func read<Result>(_ slot: Int, _ body: (borrowing Element) -> Result) -> Result? {
        guard slot >= 0, slot < elements.count else { return nil }
        return elements[slot].map(body)
    }

    /// Changes the value in `slot` in place; nil (and nothing changes) when it is free.
    @discardableResult
    mutating func modify<Result>(_ slot: Int, _ body: (inout Element) -> Result) -> Result? {
        guard slot >= 0, slot < elements.count, elements[slot] != nil else { return nil }
        return body(&elements[slot]!)
    }

    /// Empties `slot` and returns its value; nil when it was free.
    @discardableResult
    mutating func remove(at slot: Int) -> Element? {
        guard slot >= 0, slot < elements.count, let element = elements[slot] else { return nil }
        elements[slot] = nil
        occupiedCount -= 1
        if occupiedCount == 0 {
            let keep = elements.count <= Self.keptCapacity
            elements.removeAll(keepingCapacity: keep)
            free.removeAll(keepingCapacity: keep)
        } else if slot == elements.count - 1 {
            dropFreeTail()
        } else {
            pushFree(slot)
        }
        return element
    }

    /// The occupied slots' values, in slot order, in one array sized up front.
    var values: [Element] {
        var values: [Element] = []
        values.reserveCapacity(occupiedCount)
        for case let element? in elements { values.append(element) }
        return values
    }

    /// Occupied slots and their values, in slot order.
    var occupied: [(slot: Int, element: Element)] {
        elements.indices.compactMap { slot in elements[slot].map { (slot, $0) } }
    }

    /// Drops the free slots at the end, then stale free entries and spare buffer room once
    /// they dominate.
    private mutating func dropFreeTail() {
        while case .some(.none) = elements.last { elements.removeLast() }
        if free.count > 2 * (elements.count - occupiedCount) + 64 {
            let live = free.filter { $0 < elements.count }
            free = []
            free.reserveCapacity(live.count)
            for slot in live { pushFree(slot) }
        }
        if elements.capacity > Self.keptCapacity && elements.count < elements.capacity / 4 {
            var shrunk: [Element?] = []
            shrunk.reserveCapacity(elements.count)
            shrunk.append(contentsOf: elements)
            elements = shrunk
        }
    }

    private mutating func pushFree(_ slot: Int) {
        free.append(slot)
        var child = free.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard free[child] < free[parent] else { break }
            free.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popLowestFree() -> Int? {
        guard let last = free.popLast() else { return nil }
        guard !free.isEmpty else { return last }
        let lowest = free[0]
        free[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < free.count else { break }
            let right = left + 1
            let child = right < free.count && free[right] < free[left] ? right : left
            guard free[child] < free[parent] else { break }
            free.swapAt(child, parent)
            parent = child
        }
        return lowest
    }
}

extension SlotArray: Sendable where Element: Sendable {}
