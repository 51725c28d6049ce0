import Synchronization
@testable import MandrillCore

/// An in-memory store that can hold up or fail appends containing a given record kind.
final class GatedStore: StateStore {
    struct InjectedFailure: Error {}

    private let inner = InMemoryStateStore()
    private let gateKind: StateRecord.Kind?
    private let gate: (@Sendable () async throws -> Void)?
    private let failingKind: StateRecord.Kind?
    private let failures = Mutex(0)

    init(gateOn kind: StateRecord.Kind, _ gate: @escaping @Sendable () async throws -> Void) {
        gateKind = kind
        self.gate = gate
        failingKind = nil
    }

    init(failing kind: StateRecord.Kind) {
        gateKind = nil
        gate = nil
        failingKind = kind
    }

    func append(_ records: [StateRecord]) async throws {
        if let gateKind, records.contains(where: { $0.kind == gateKind }) { try await gate?() }
        if let failingKind, records.contains(where: { $0.kind == failingKind }) {
            failures.withLock { $0 += 1 }
            throw InjectedFailure()
        }
        try await inner.append(records)
    }

    var failedAppends: Int { failures.withLock { $0 } }
    var records: [StateRecord] { inner.records }
    func snapshot() -> StateIndex { inner.snapshot() }
    func isFinished(_ id: MessageID) -> Bool { inner.isFinished(id) }
    func isInDoubt(_ id: MessageID) -> Bool { inner.isInDoubt(id) }
    func lastRestart(of host: String) -> Double? { inner.lastRestart(of: host) }
    func close() async throws {}
}
