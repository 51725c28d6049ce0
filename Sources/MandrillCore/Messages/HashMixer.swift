/// The finaliser behind `MessageID`'s cheap `_rawHashValue(seed:)`:
/// a word mixed with the table's seed by multiply–xorshift rounds (SplitMix64's
/// finaliser), instead of setting up and finalising a `Hasher` for one word.
///
/// Tables stay seeded per process (the seed goes in first), and equal keys hash equally.
/// The ids it hashes are not attacker-chosen: the broker assigns them.
enum HashMixer {
    @inline(__always)
    static func mix(_ word: Int, seed: Int) -> Int {
        var mixed = UInt64(bitPattern: Int64(word ^ seed))
        mixed = (mixed ^ (mixed >> 31)) &* 0x7FB5_D329_728E_A185
        mixed = (mixed ^ (mixed >> 27)) &* 0x81DA_DEF4_BC2D_D44D
        return Int(bitPattern: UInt(mixed ^ (mixed >> 33)))
    }
}
