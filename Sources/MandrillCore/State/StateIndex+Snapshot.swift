/// The compaction snapshot: the whole index in the journal's compact binary encoding, so
/// start-up reads one snapshot instead of every record since the daemon was installed.
extension StateIndex {
    private static let snapshotVersion: UInt8 = 1

    /// The index as snapshot bytes.
    public func snapshotBytes() -> [UInt8] {
        var out: [UInt8] = [Self.snapshotVersion]
        func varint(_ value: Int) { JournalBytes.appendVarint(UInt64(max(0, value)), to: &out) }
        for count in [totals.received, totals.acked, totals.nacked, totals.deadLettered, totals.abandoned, totals.duplicate] {
            varint(count)
        }
        varint(totals.ackedByOutcome.count)
        for (outcome, count) in totals.ackedByOutcome.sorted(by: { $0.key < $1.key }) {
            JournalBytes.append(outcome, to: &out)
            varint(count)
        }
        varint(open.count)
        for (id, message) in open.sorted(by: { $0.key < $1.key }) {
            JournalBytes.append(id.rawValue, to: &out)
            JournalBytes.append(message.host, to: &out)
            varint(message.attempt)
            JournalBytes.append(message.since, to: &out)
            out.append(message.restartStarted ? 1 : 0)
        }
        varint(finished.count)
        for (id, time) in finished {
            JournalBytes.append(id.rawValue, to: &out)
            JournalBytes.append(time, to: &out)
        }
        varint(lastRestart.count)
        for (host, time) in lastRestart.sorted(by: { $0.key < $1.key }) {
            JournalBytes.append(host, to: &out)
            JournalBytes.append(time, to: &out)
        }
        varint(recentRestarts.count)
        for entry in recentRestarts {
            JournalBytes.append(entry.time, to: &out)
            JournalBytes.append(entry.id.rawValue, to: &out)
            JournalBytes.append(entry.host, to: &out)
            varint(entry.attempt)
            JournalBytes.append(entry.outcome, to: &out)
            JournalBytes.append(entry.duration, to: &out)
        }
        JournalBytes.append(lastSequence, to: &out)
        return out
    }

    /// Decodes snapshot bytes; nil when they are not a snapshot of this version.
    public init?(snapshotBytes bytes: [UInt8]) {
        let decoded: StateIndex? = bytes.withUnsafeBytes { raw in
            var reader = JournalByteReader(raw)
            guard reader.readByte() == Self.snapshotVersion else { return nil }
            var index = StateIndex()
            func count() -> Int? { reader.readVarint().flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil } }
            guard let received = count(), let acked = count(), let nacked = count(), let dead = count(),
                let abandoned = count(), let duplicate = count(), let outcomes = count()
            else { return nil }
            index.totals = Totals(
                received: received, acked: acked, nacked: nacked, deadLettered: dead, abandoned: abandoned,
                duplicate: duplicate)
            for _ in 0..<outcomes {
                guard let outcome = reader.readString(), let value = count() else { return nil }
                index.totals.ackedByOutcome[outcome] = value
            }
            guard let openCount = count() else { return nil }
            for _ in 0..<openCount {
                guard let id = reader.readString(), let host = reader.readString(), let attempt = count(),
                    let since = reader.readDouble(), let started = reader.readByte()
                else { return nil }
                index.open[MessageID(id)] = OpenMessage(
                    host: host, attempt: attempt, since: since, restartStarted: started == 1)
            }
            guard let finishedCount = count() else { return nil }
            index.finished.reserveCapacity(finishedCount)
            for _ in 0..<finishedCount {
                guard let id = reader.readString(), let time = reader.readDouble() else { return nil }
                index.finished[MessageID(id)] = time
            }
            guard let hostCount = count() else { return nil }
            for _ in 0..<hostCount {
                guard let host = reader.readString(), let time = reader.readDouble() else { return nil }
                index.lastRestart[host] = time
            }
            guard let recentCount = count() else { return nil }
            for _ in 0..<recentCount {
                guard let time = reader.readDouble(), let id = reader.readString(), let host = reader.readString(),
                    let attempt = count(), let outcome = reader.readString(), let duration = reader.readDouble()
                else { return nil }
                index.recentRestarts.append(RestartEntry(
                    time: time, id: MessageID(id), host: host, attempt: attempt, outcome: outcome, duration: duration))
            }
            guard let sequence = reader.readUInt64(), reader.isAtEnd else { return nil }
            index.lastSequence = sequence
            return index
        }
        guard let decoded else { return nil }
        self = decoded
    }
}
