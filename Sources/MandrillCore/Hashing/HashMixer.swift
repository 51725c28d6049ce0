/// The finaliser behind the cheap `_rawHashValue(seed:)` of `MessageID` and `SerialKey`:
/// a word mixed with the table's seed by multiply–xorshift rounds (SplitMix64's
/// finaliser), instead of setting up and finalising a `Hasher` for one word.
///
/// Tables stay seeded per process (the seed goes in first), and equal keys hash equally.
/// The keys using it are not attacker-chosen: broker ids and the process's own counters.
enum HashMixer {
    @inline(__always)
    static func mix(_ word: Int, seed: Int) -> Int {
        var mixed = UInt64(bitPattern: Int64(word ^ seed))
        mixed = (mixed ^ (mixed >> 31)) &* 0x7FB5_D329_728E_A185
        mixed = (mixed ^ (mixed >> 27)) &* 0x81DA_DEF4_BC2D_D44D
        return Int(bitPattern: UInt(mixed ^ (mixed >> 33)))
    }
}
