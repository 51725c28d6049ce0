/// Values in numbered slots: `insert` hands out a slot (the one freed last, else a new one
/// at the end) and whoever keeps the number reaches the value directly: no hashing, one
/// cache line. During a burst slots are appended in arrival order, so a later walk in
/// that order (a timer waking a burst's sleepers, acks in delivery order) reads memory in
/// order. With 100,000 messages in flight (mandrill-bench `inflight`), dictionaries by id
/// cost scattered cache misses on every insert and remove and rehashed as they grew.
///
/// A table that held more than `keptCapacity` slots gives its buffers back once it
/// empties; a small one keeps them for the next values.
struct SlotArray<Element> {
    private var elements: [Element?] = []
    /// Free slots below `elements.count`.
    private var free: [Int] = []

    /// Slots kept (emptied) when the table empties.
    static var keptCapacity: Int { 4_096 }

    /// An empty table.
    init() {}

    /// Occupied slots.
    var count: Int { elements.count - free.count }
    var isEmpty: Bool { free.count == elements.count }
    /// Slots occupied or free, and the room the buffer has (for tests of reuse and release).
    var counts: (slots: Int, capacity: Int) { (elements.count, elements.capacity) }

    /// Stores `element` in a free slot and returns the slot.
    mutating func insert(_ element: Element) -> Int {
        if let slot = free.popLast() {
            elements[slot] = element
            return slot
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
        free.append(slot)
        if free.count == elements.count {
            let keep = elements.count <= Self.keptCapacity
            elements.removeAll(keepingCapacity: keep)
            free.removeAll(keepingCapacity: keep)
        }
        return element
    }

    /// Occupied slots and their values, in slot order.
    var occupied: [(slot: Int, element: Element)] {
        elements.indices.compactMap { slot in elements[slot].map { (slot, $0) } }
    }
}

extension SlotArray: Sendable where Element: Sendable {}
