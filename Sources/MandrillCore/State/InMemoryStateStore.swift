import Synchronization

/// A state store that keeps everything in memory: for tests and the in-memory benchmark.
/// It never loses a record while the process lives and forgets everything at exit.
public final class InMemoryStateStore: StateStore {
    private struct Contents {
        var index = StateIndex()
        var records: [StateRecord] = []
        var inDoubtAtStart: Set<MessageID> = []
    }

    private let contents: Mutex<Contents>
    private let keepsRecords: Bool
    /// Whether any message was in doubt at the start: when none was (the usual case) none
    /// ever is, and `isInDoubt` answers without the lock. Unlike `LiveStateIndex`, which
    /// counts the doubts down and drops the lock again once all are settled, a store that
    /// started with doubts keeps taking the lock (only tests start one so).
    private let startedWithDoubts: Bool

    /// Creates an empty store; `keepRecords` keeps every record for inspection. Room is
    /// made up front for `reservingInFlight` messages in hand (see `StateIndex.reserve`).
    public init(keepRecords: Bool = true, recovered: StateIndex = StateIndex(), reservingInFlight: Int = 0) {
        self.keepsRecords = keepRecords
        var index = recovered
        index.reserve(inFlight: reservingInFlight)
        self.contents = Mutex(Contents(index: index, records: [], inDoubtAtStart: Set(recovered.open.keys)))
        self.startedWithDoubts = !recovered.open.isEmpty
    }

    public func append(_ records: [StateRecord]) async throws {
        try appendBehind(records)
    }

    public func appendBehind(_ records: [StateRecord]) throws {
        contents.withLock { contents in
            for record in records { fold(record, into: &contents) }
        }
    }

    public func appendBehind(_ record: StateRecord) throws {
        contents.withLock { fold(record, into: &$0) }
    }

    private func fold(_ record: StateRecord, into contents: inout Contents) {
        // Numbered without copying the record (a copy retains its strings, and the host's
        // is shared by every message for that host) unless it is kept.
        let sequence = contents.index.lastSequence + 1
        contents.index.apply(record, sequence: sequence)
        if record.kind == .acked || record.kind == .deadLettered, !contents.inDoubtAtStart.isEmpty {
            contents.inDoubtAtStart.remove(record.messageID)
        }
        if keepsRecords {
            var kept = record
            kept.sequence = sequence
            contents.records.append(kept)
        }
    }

    public func snapshot() -> StateIndex { contents.withLock { $0.index } }

    public func isFinished(_ id: MessageID) -> Bool { contents.withLock { $0.index.finished[id] != nil } }

    public func isInDoubt(_ id: MessageID) -> Bool {
        startedWithDoubts && contents.withLock { $0.inDoubtAtStart.contains(id) }
    }

    public func lastRestart(of host: String) -> Double? { contents.withLock { $0.index.lastRestart[host] } }

    public func close() async throws {}

    /// Every record appended, in order (empty unless created with `keepRecords`).
    public var records: [StateRecord] { contents.withLock { $0.records } }
}
