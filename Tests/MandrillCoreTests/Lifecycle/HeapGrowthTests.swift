import Testing
@testable import MandrillCore

struct HeapGrowthTests {
    /// `mallopt` is looked up at run time (`<malloc.h>` is not in Swift's Glibc module):
    /// the lookup must find it, glibc must accept `M_TOP_PAD` with the pad, and the daemon's
    /// startup log reads that it did. (What the pad does to the heap is not observable from
    /// a test; `mandrill-bench inflight` measures it.)
    @Test func glibcTakesTheTopPadAndTheDaemonCanTell() {
        #expect(HeapGrowth.reserveAhead())
        #expect(HeapGrowth.isReserved)
        // Setting it again (`mandrill`'s main and a bench child each set it once) is harmless.
        #expect(HeapGrowth.reserveAhead())
        #expect(HeapGrowth.isReserved)
    }
}
