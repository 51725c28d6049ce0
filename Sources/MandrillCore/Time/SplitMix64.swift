/// A small, fast, seedable random number generator (SplitMix64), so simulated runs and
/// the publisher can be replayed from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Seeds the generator; seed 0 means "random" and draws a seed from the system.
    public init(seed: UInt64) {
        state = seed == 0 ? UInt64.random(in: 1...UInt64.max) : seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
