/// What the journal's records add up to: totals by outcome, finished message ids (for
/// deduplication), messages in hand or in doubt, each host's last restart, and recent
/// restarts. Built by folding records in order; `status` prints it.
public struct StateIndex: Sendable, Equatable {
    /// Counts of deliveries by final outcome (each delivery ends in exactly one of
    /// acked, nacked, dead-lettered or abandoned; `duplicate` is a part of `acked`).
    public struct Totals: Sendable, Equatable {
        public var received = 0
        public var acked = 0
        public var nacked = 0
        public var deadLettered = 0
        public var abandoned = 0
        public var duplicate = 0
        /// Acked deliveries by outcome (`restarted`, `duplicate`, `skipped`, `dry_run`, …).
        public var ackedByOutcome: [String: Int] = [:]
    }

    /// A message received without a final outcome yet, as `open` holds it (by its id).
    ///
    /// Without its id, which is the key: each entry is then 40 bytes rather than 64, and
    /// settling a message (finding and removing its entry among 100,000 open ones) took a
    /// quarter less time (mandrill-bench `inflight`).
    public struct OpenMessage: Sendable, Equatable {
        public var host: String
        public var attempt: Int
        /// When it was received (epoch seconds).
        public var since: Double
        /// Whether a `restartStarted` record was seen.
        public var restartStarted: Bool
    }

    /// An open message with its id, as `inDoubt` lists them; reads the message's fields
    /// (`host`, `attempt`, …) as its own.
    @dynamicMemberLookup
    public struct InDoubtMessage: Sendable, Equatable {
        public let id: MessageID
        public let message: OpenMessage

        public subscript<Value>(dynamicMember field: KeyPath<OpenMessage, Value>) -> Value {
            message[keyPath: field]
        }
    }

    /// One restart outcome, for `status` and `history` after compaction.
    public struct RestartEntry: Sendable, Equatable {
        public var time: Double
        public var id: MessageID
        public var host: String
        public var attempt: Int
        public var outcome: String
        public var duration: Double
    }

    /// Totals by outcome.
    public var totals = Totals()
    /// Messages received with no final outcome: in flight, or in doubt after a crash.
    public var open: [MessageID: OpenMessage] = [:]
    /// Finished (acked or dead-lettered) message ids and when they finished.
    public var finished: [MessageID: Double] = [:]
    /// Last successful restart per host (epoch seconds).
    public var lastRestart: [String: Double] = [:]
    /// The most recent restart outcomes, oldest first, at most `recentLimit`.
    public var recentRestarts: [RestartEntry] = []
    /// Highest record sequence folded in.
    public var lastSequence: UInt64 = 0

    static let recentLimit = 1000

    /// An empty index.
    public init() {}

    /// Folds one record in.
    public mutating func apply(_ record: StateRecord) {
        apply(record, sequence: record.sequence)
    }

    /// Folds in a record numbered `sequence` (whatever its own `sequence` says): a store
    /// numbering records as it folds them need not copy each one to set it.
    mutating func apply(_ record: StateRecord, sequence: UInt64) {
        lastSequence = max(lastSequence, sequence)
        switch record.kind {
        case .received:
            totals.received += 1
            open[record.messageID] = OpenMessage(
                host: record.host, attempt: record.attempt, since: record.time, restartStarted: false)
        case .restartStarted:
            // Through the index: `open[id]?.restartStarted = true` nests two `modify`
            // accessors whose frames are heap-allocated, three allocations per message.
            if let index = open.index(forKey: record.messageID) { open.values[index].restartStarted = true }
        case .restartSucceeded:
            lastRestart[record.host] = record.time
            remember(record, outcome: "succeeded")
        case .restartFailed:
            remember(record, outcome: record.detail)
        case .acked:
            totals.acked += 1
            totals.ackedByOutcome[record.detail, default: 0] += 1
            if record.detail == "duplicate" { totals.duplicate += 1 }
            finish(record)
            finished[record.messageID] = record.time
        case .deadLettered:
            totals.deadLettered += 1
            finish(record)
            finished[record.messageID] = record.time
        case .nacked:
            totals.nacked += 1
            finish(record)
        case .abandoned:
            totals.abandoned += 1
            finish(record)
        case .decision, .manifest, .intake:
            break
        }
    }

    private mutating func finish(_ record: StateRecord) {
        open[record.messageID] = nil
    }

    private mutating func remember(_ record: StateRecord, outcome: String) {
        recentRestarts.append(RestartEntry(
            time: record.time, id: record.messageID, host: record.host, attempt: record.attempt, outcome: outcome,
            duration: record.duration))
        if recentRestarts.count > Self.recentLimit * 2 {
            recentRestarts.removeFirst(recentRestarts.count - Self.recentLimit)
        }
    }

    /// Makes room for `count` more messages in hand and as many finishing, so that the
    /// first burst up to the in-flight limit never rehashes `open` or `finished`. A store
    /// folds records under its lock: a rehash there (tens of thousands of entries, at each
    /// doubling) held up every handler waiting to record (mandrill-bench `inflight`).
    public mutating func reserve(inFlight count: Int) {
        guard count > 0 else { return }
        open.reserveCapacity(open.count + count)
        finished.reserveCapacity(finished.count + count)
    }

    /// Forgets finished ids older than `cutoff` (epoch seconds): the dedupe window. The
    /// table is rebuilt with room for `inFlight` more finishing (see `reserve`), so that a
    /// compaction does not undo the store's reservation and leave the next burst to
    /// rehash under the store's lock.
    public mutating func forgetFinished(before cutoff: Double, reservingInFlight inFlight: Int = 0) {
        let keptCount = finished.values.reduce(0) { $1 >= cutoff ? $0 + 1 : $0 }
        var kept = [MessageID: Double](minimumCapacity: keptCount + max(0, inFlight))
        for (id, time) in finished where time >= cutoff { kept[id] = time }
        finished = kept
    }

    /// Messages whose restart may have run with no outcome recorded, oldest first.
    public var inDoubt: [InDoubtMessage] {
        open.map { InDoubtMessage(id: $0.key, message: $0.value) }.sorted { ($0.since, $0.id) < ($1.since, $1.id) }
    }

    /// Hosts by most recent restart, newest first, at most `limit`.
    public func recentHosts(limit: Int) -> [(host: String, time: Double)] {
        lastRestart.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(limit).map { ($0.key, $0.value) }
    }
}
