import Synchronization

/// What became of every message in hand once shutdown began, written as the journal's
/// last records at a graceful stop: `acked`, `nacked-unstarted`, `abandoned-in-doubt`
/// (cancelled while its restart ran), `lease-expired`, …
public final class ShutdownManifest: Sendable {
    private let entries = Mutex<[(MessageID, String)]>([])

    /// An empty manifest.
    public init() {}

    /// Notes the final state of a message that finished after shutdown began.
    func record(_ id: MessageID, _ outcome: FinalOutcome) {
        let state: String
        switch outcome {
        case .acked: state = "acked"
        case .nacked("shutdown_unstarted"): state = "nacked-unstarted"
        case .nacked("lease_expired"): state = "lease-expired"
        case .nacked: state = "nacked"
        case .deadLettered: state = "dead-lettered"
        case .abandoned("restart"): state = "abandoned-in-doubt"
        case .abandoned: state = "abandoned"
        }
        entries.withLock { $0.append((id, state)) }
    }

    /// How many messages are listed.
    public var count: Int { entries.withLock { $0.count } }

    /// The manifest as journal records: one record, or several parts when it would not fit
    /// in one journal record.
    public func records(time: Double, partBytes: Int = 512 * 1024) -> [StateRecord] {
        let all = entries.withLock { $0 }
        var parts: [String] = []
        var current = ""
        for (id, state) in all {
            let item = "\(id.rawValue)=\(state)"
            if !current.isEmpty && current.utf8.count + item.utf8.count + 1 > partBytes {
                parts.append(current)
                current = ""
            }
            current += current.isEmpty ? item : ",\(item)"
        }
        parts.append(current)
        return parts.enumerated().map { index, detail in
            StateRecord(
                time: time, kind: .manifest, messageID: MessageID("-"), host: "-", attempt: parts.count > 1 ? index + 1 : 0,
                detail: detail)
        }
    }
}
