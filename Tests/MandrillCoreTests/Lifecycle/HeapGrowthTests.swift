import Testing
@testable import MandrillCore

struct HeapGrowthTests {
    /// `mallopt` is looked up at run time (`<malloc.h>` is not in Swift's Glibc module):
    /// the lookup must find it and glibc must accept `M_TOP_PAD` with the pad.
    @Test func glibcTakesTheTopPad() {
        #expect(HeapGrowth.topPadParameter == -2)
        #expect(HeapGrowth.reserveAhead())
        // Setting it again (the daemon and a bench child each set it once) is harmless.
        #expect(HeapGrowth.reserveAhead())
    }
}
