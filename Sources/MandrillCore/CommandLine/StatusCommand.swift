import Foundation

/// `mandrill status [--json]`: totals by outcome, in-doubt messages, last restart per host,
/// journal size, from the state directory.
enum StatusCommand {
    static let hostLimit = 20

    static func run(_ command: ParsedCommand) throws -> Int32 {
        let configuration = try MandrillCommand.loadConfiguration(command)
        let state = try StateReader(directory: configuration.state.directory)
        print(command.flags.contains("--json") ? json(state) : text(state))
        return ExitCode.ok
    }

    static func json(_ state: StateReader) -> String {
        let totals = state.index.totals
        var out = "{\"directory\":\(JSONText.quoted(state.directory))"
        out += ",\"journal\":{\"segments\":\(state.report.segmentCount),\"bytes\":\(state.report.totalBytes)"
        out += ",\"records\":\(state.report.records.count),\"snapshot\":\(state.report.snapshot != nil)"
        out += ",\"dropped_bytes\":\(state.report.droppedBytes),\"last_sequence\":\(state.report.lastSequence)}"
        out += ",\"totals\":{\"received\":\(totals.received),\"acked\":\(totals.acked),\"nacked\":\(totals.nacked)"
        out += ",\"dead_lettered\":\(totals.deadLettered),\"abandoned\":\(totals.abandoned),\"duplicate\":\(totals.duplicate)"
        out += ",\"acked_by_outcome\":{"
        out += totals.ackedByOutcome.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }.joined(separator: ",")
        out += "}},\"in_doubt\":["
        out += state.index.inDoubt.map { message in
            "{\"msg_id\":\(JSONText.quoted(message.id.rawValue)),\"host\":\(JSONText.quoted(message.host))"
                + ",\"attempt\":\(message.attempt),\"since\":\(JSONText.quoted(StateReader.timestamp(message.since)))"
                + ",\"restart_started\":\(message.restartStarted)}"
        }.joined(separator: ",")
        out += "],\"last_restarts\":["
        out += state.index.recentHosts(limit: hostLimit).map {
            "{\"host\":\(JSONText.quoted($0.host)),\"time\":\(JSONText.quoted(StateReader.timestamp($0.time)))}"
        }.joined(separator: ",")
        out += "]}"
        return out
    }

    static func text(_ state: StateReader) -> String {
        let totals = state.index.totals
        var lines: [String] = []
        lines.append("State directory \(state.directory): \(state.report.segmentCount) segment(s), \(state.report.totalBytes) bytes, \(state.report.records.count) record(s) since the last snapshot\(state.report.snapshot == nil ? "" : " (snapshot present)")")
        if state.report.droppedBytes > 0 {
            lines.append("Journal tail: \(state.report.droppedBytes) torn or corrupt byte(s) past the last good record (the daemon truncates them on start)")
        }
        lines.append("")
        lines.append("Deliveries received   \(totals.received)")
        lines.append("  acked               \(totals.acked)")
        for (outcome, count) in totals.ackedByOutcome.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(outcome.padding(toLength: 18, withPad: " ", startingAt: 0))\(count)")
        }
        lines.append("  nacked              \(totals.nacked)")
        lines.append("  dead-lettered       \(totals.deadLettered)")
        lines.append("  abandoned           \(totals.abandoned)")
        lines.append("  in hand or in doubt \(state.index.open.count)")
        lines.append("")
        let inDoubt = state.index.inDoubt
        lines.append("In doubt (received, no outcome recorded; in flight if the daemon is running): \(inDoubt.count)")
        for message in inDoubt.prefix(50) {
            lines.append("  \(message.id)  \(message.host)  attempt \(message.attempt)  since \(StateReader.timestamp(message.since))\(message.restartStarted ? "  restart started" : "")")
        }
        lines.append("")
        let hosts = state.index.recentHosts(limit: hostLimit)
        lines.append("Last restart per host (most recent first, up to \(hostLimit) of \(state.index.lastRestart.count)):")
        for (host, time) in hosts {
            lines.append("  \(StateReader.timestamp(time))  \(host)")
        }
        return lines.joined(separator: "\n")
    }
}
