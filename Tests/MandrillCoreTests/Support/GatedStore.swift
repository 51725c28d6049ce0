import Synchronization
@testable import MandrillCore

/// An in-memory store that can hold up or fail appends containing a given record kind.
/// A gated record written behind is held, like a journal write still in progress, until
/// the next append passes the gate.
final class GatedStore: StateStore {
    struct InjectedFailure: Error {}

    private let inner = InMemoryStateStore()
    private let gateKind: StateRecord.Kind?
    private let gate: (@Sendable () async throws -> Void)?
    private let failingKind: StateRecord.Kind?
    private let failures = Mutex(0)
    private let failLimit: Int
    private let behind = Mutex<[StateRecord]>([])

    init(gateOn kind: StateRecord.Kind, _ gate: @escaping @Sendable () async throws -> Void) {
        gateKind = kind
        self.gate = gate
        failingKind = nil
        failLimit = 0
    }

    /// Fails every append of a `kind` record, or only the first `times`.
    init(failing kind: StateRecord.Kind, times: Int = .max) {
        gateKind = nil
        gate = nil
        failingKind = kind
        failLimit = times
    }

    func append(_ records: [StateRecord]) async throws {
        let held = behind.withLock { held in
            defer { held.removeAll() }
            return held
        }
        let all = held + records
        if let gateKind, all.contains(where: { $0.kind == gateKind }) { try await gate?() }
        if let failingKind, records.contains(where: { $0.kind == failingKind }), takeFailure() {
            behind.withLock { $0 = held + $0 }
            throw InjectedFailure()
        }
        try await inner.append(all)
    }

    func appendBehind(_ records: [StateRecord]) throws {
        if let failingKind, records.contains(where: { $0.kind == failingKind }), takeFailure() {
            throw InjectedFailure()
        }
        behind.withLock { $0 += records }
    }

    /// Counts a failure; false once `failLimit` failures happened.
    private func takeFailure() -> Bool {
        failures.withLock { failed in
            guard failed < failLimit else { return false }
            failed += 1
            return true
        }
    }

    /// Records written behind and not yet saved by an append.
    var heldBehind: [StateRecord] { behind.withLock { $0 } }
    var failedAppends: Int { failures.withLock { $0 } }
    var records: [StateRecord] { inner.records }
    func snapshot() -> StateIndex { inner.snapshot() }
    func isFinished(_ id: MessageID) -> Bool { inner.isFinished(id) }
    func isInDoubt(_ id: MessageID) -> Bool { inner.isInDoubt(id) }
    func lastRestart(of host: String) -> Double? { inner.lastRestart(of: host) }
    func close() async throws {}
}
