import Foundation

/// `mandrill history [--host H] [--since SECONDS] [--limit N] [--json]`: what happened to
/// restart requests — restarts, guard decisions, acks, nacks, dead-letters — newest first.
enum HistoryCommand {
    struct Entry {
        var time: Double
        var event: String
        var id: String
        var host: String
        var attempt: Int
        var detail: String
        var duration: Double
    }

    static func run(_ command: ParsedCommand) throws -> Int32 {
        let configuration = try MandrillCommand.loadConfiguration(command)
        let limit = try command.integer("--limit", minimum: 1) ?? 50
        let since = try command.seconds("--since")
        let host = command.values["--host"]
        let state = try StateReader(directory: configuration.state.directory)
        let cutoff = since.map { Date().timeIntervalSince1970 - $0 }
        let entries = Array(collect(state).filter { entry in
            (host == nil || entry.host == host) && (cutoff == nil || entry.time >= cutoff!)
        }.prefix(limit))
        if command.flags.contains("--json") {
            print("[" + entries.map(json).joined(separator: ",\n") + "]")
        } else if entries.isEmpty {
            print("No matching records.")
        } else {
            for entry in entries {
                let duration = entry.duration > 0 ? "  \(String(format2: entry.duration))s" : ""
                print("\(StateReader.timestamp(entry.time))  \(entry.event.padding(toLength: 17, withPad: " ", startingAt: 0))  \(entry.host)  \(entry.id)  attempt \(entry.attempt)\(duration)  \(entry.detail)")
            }
        }
        return ExitCode.ok
    }

    /// Events newest first: the journal's records, then restarts kept in the snapshot.
    static func collect(_ state: StateReader) -> [Entry] {
        var entries: [Entry] = []
        for record in state.report.records {
            let event: String
            switch record.kind {
            case .restartSucceeded: event = "restarted"
            case .restartFailed: event = "restart_failed"
            case .decision: event = "decision"
            case .acked: event = "acked"
            case .nacked: event = "nacked"
            case .deadLettered: event = "dead_lettered"
            case .abandoned: event = "abandoned"
            case .intake: event = "intake"
            case .manifest: event = "shutdown_manifest"
            case .received, .restartStarted: continue
            }
            entries.append(Entry(
                time: record.time, event: event, id: record.messageID.rawValue, host: record.host,
                attempt: record.attempt, detail: record.kind == .manifest ? manifestSummary(record.detail) : record.detail,
                duration: record.duration))
        }
        let firstLive = state.report.records.first?.time ?? .infinity
        for restart in state.index.recentRestarts where restart.time < firstLive {
            entries.append(Entry(
                time: restart.time, event: restart.outcome == "succeeded" ? "restarted" : "restart_failed",
                id: restart.id.rawValue, host: restart.host, attempt: restart.attempt,
                detail: restart.outcome == "succeeded" ? "(from snapshot)" : "\(restart.outcome) (from snapshot)",
                duration: restart.duration))
        }
        return entries.reversed().sorted { $0.time > $1.time }
    }

    /// `12 message(s): acked=10 abandoned-in-doubt=2` from `id=state,…`.
    static func manifestSummary(_ detail: String) -> String {
        var counts: [String: Int] = [:]
        for item in detail.split(separator: ",") {
            if let equals = item.lastIndex(of: "=") { counts[String(item[item.index(after: equals)...]), default: 0] += 1 }
        }
        let total = counts.values.reduce(0, +)
        return "\(total) message(s) in hand at shutdown: " + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    static func json(_ entry: Entry) -> String {
        "{\"time\":\(JSONText.quoted(StateReader.timestamp(entry.time))),\"event\":\(JSONText.quoted(entry.event))"
            + ",\"msg_id\":\(JSONText.quoted(entry.id)),\"host\":\(JSONText.quoted(entry.host)),\"attempt\":\(entry.attempt)"
            + ",\"detail\":\(JSONText.quoted(entry.detail)),\"duration_s\":\(entry.duration)}"
    }
}
