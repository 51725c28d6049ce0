import Synchronization

/// The journal state store's live view: the `StateIndex` folded from durable records, and
/// the ids that were in doubt when the store opened.
///
/// Sendable: a `Mutex` guards both; the atomic is a lock-free shortcut for `isInDoubt`.
/// The journal's writer thread folds each written batch in before it resumes the appends
/// the batch covers, so an `append` that returned is already visible here, and the index's
/// sequence is a true watermark of what is durable.
final class LiveStateIndex: Sendable {
    private struct Contents {
        var index = StateIndex()
        var inDoubtAtStart: Set<MessageID> = []
    }

    /// Records folded per lock hold: a big batch is folded in pieces so handlers asking
    /// `isFinished` meanwhile never wait for the whole batch.
    static let foldChunk = 256

    private let contents = Mutex(Contents())
    /// How many ids are still in `inDoubtAtStart`; it only shrinks. Zero (the usual case
    /// after a clean start) lets `isInDoubt` answer without the lock.
    private let inDoubtRemaining = Atomic<Int>(0)

    /// An empty index; `install` puts the recovered one in place.
    init() {}

    /// Replaces the index with the recovered one. Call before any record is appended.
    func install(_ index: StateIndex) {
        contents.withLock { $0 = Contents(index: index, inDoubtAtStart: Set(index.open.keys)) }
        inDoubtRemaining.store(index.open.count, ordering: .relaxed)
    }

    /// Folds durable records in, in sequence order (they carry their sequences).
    func fold(_ records: ArraySlice<StateRecord>) {
        var rest = records
        while !rest.isEmpty {
            let chunk = rest.prefix(Self.foldChunk)
            rest = rest.dropFirst(chunk.count)
            contents.withLock { contents in
                for record in chunk {
                    contents.index.apply(record)
                    if record.kind == .acked || record.kind == .deadLettered, !contents.inDoubtAtStart.isEmpty {
                        contents.inDoubtAtStart.remove(record.messageID)
                    }
                }
                if inDoubtRemaining.load(ordering: .relaxed) > 0 {
                    inDoubtRemaining.store(contents.inDoubtAtStart.count, ordering: .relaxed)
                }
            }
        }
    }

    /// A copy of the index.
    var snapshot: StateIndex { contents.withLock { $0.index } }

    /// Forgets finished ids older than `cutoff` (keeping room for `inFlight` finishing),
    /// then returns the index as snapshot bytes and the sequence they cover.
    func compactionSnapshot(
        forgettingBefore cutoff: Double, reservingInFlight inFlight: Int
    ) -> (bytes: [UInt8], sequence: UInt64) {
        contents.withLock { contents in
            contents.index.forgetFinished(before: cutoff, reservingInFlight: inFlight)
            return (contents.index.snapshotBytes(), contents.index.lastSequence)
        }
    }

    func isFinished(_ id: MessageID) -> Bool { contents.withLock { $0.index.finished[id] != nil } }

    func isInDoubt(_ id: MessageID) -> Bool {
        guard inDoubtRemaining.load(ordering: .relaxed) > 0 else { return false }
        return contents.withLock { $0.inDoubtAtStart.contains(id) }
    }

    func lastRestart(of host: String) -> Double? { contents.withLock { $0.index.lastRestart[host] } }
}
