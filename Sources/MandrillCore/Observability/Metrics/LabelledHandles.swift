/// Handles of one single-label family, created up front for the known label values so
/// the hot path reads an immutable dictionary instead of taking the registry's lock.
struct LabelledHandles<Handle: Sendable>: Sendable {
    private let label: String
    private let known: [String: Handle]
    private let make: @Sendable ([String: String]) -> Handle

    /// Creates the handles for `known` values of `label` through `make` (a registry get-or-create).
    init(label: String, known: [String], make: @escaping @Sendable ([String: String]) -> Handle) {
        self.label = label
        self.make = make
        self.known = Dictionary(uniqueKeysWithValues: known.map { ($0, make([label: $0])) })
    }

    /// The handle for `value`; unknown values go through the registry (locked, then cached there).
    subscript(value: String) -> Handle {
        known[value] ?? make([label: value])
    }
}
