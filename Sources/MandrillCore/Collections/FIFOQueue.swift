/// A first-in first-out queue with amortised O(1) push and pop (the standard library has
/// no deque).
struct FIFOQueue<Element> {
    private var storage: [Element?] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Puts `elements` in front, in their order, in one step: into the consumed prefix
    /// when it has room, else by one rebuild (one `insert(at: 0)` each was O(n) apiece).
    mutating func prepend(contentsOf elements: [Element]) {
        guard !elements.isEmpty else { return }
        if head >= elements.count {
            head -= elements.count
            for (offset, element) in elements.enumerated() { storage[head + offset] = element }
        } else {
            storage = elements.map(Optional.some) + storage[head...]
            head = 0
        }
    }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        storage[head] = nil
        head += 1
        // Reclaim the consumed prefix once it dominates the buffer.
        if head > 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}
