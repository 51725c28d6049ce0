import Glibc
import Synchronization

/// How glibc's malloc grows its heaps, set once when the daemon (or a bench child) starts.
///
/// Every delivery in flight holds a few kilobytes (its task, the task allocator's slabs,
/// its `InFlightMessage`), allocated by the cooperative pool's threads from glibc's
/// per-thread arenas. An arena's heap is a 64 MiB reservation made writable a few pages at
/// a time, one `mprotect` per growth: taking in 100,000 deliveries (mandrill-bench
/// `inflight`) cost 45,000 `mprotect` calls, an eighth of the intake's CPU, with both
/// threads queueing on the address-space lock. With a top pad of 64 MiB an arena's heap is
/// made writable whole when it is created and the main heap grows in 64 MiB steps.
///
/// The pad is address space, not memory: untouched pages cost nothing. The price is that
/// up to the pad of freed memory at the top of a heap stays with the process for the next
/// burst instead of going back to the kernel at once.
///
/// Setting it also freezes glibc's mmap threshold at its 128 KiB default (glibc stops
/// raising it as large blocks are freed): every allocation of 128 KiB or more — a burst's
/// delivery batch, a grown slot array — is its own `mmap`, unmapped when freed. Setting
/// the threshold to 4 MiB as well was measured and was slower (`inflight` medians 1.30 →
/// 1.46 s, five alternated runs each), so it is left at the default.
///
/// It must be set before any thread allocates: a pool thread's arena takes the pad only
/// when its heap is created. `mandrill` sets it first thing in `main`, and a bench child
/// first thing in its process.
public enum HeapGrowth {
    /// glibc's top pad: how far beyond a request a heap is extended.
    public static let topPad = 64 << 20

    /// Sets the top pad; false when glibc refused it or has no `mallopt` (the daemon runs
    /// on with the default).
    @discardableResult
    public static func reserveAhead() -> Bool {
        // `<malloc.h>` is not part of Swift's Glibc module: look `mallopt` up instead.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0) /* RTLD_DEFAULT */, "mallopt") else {
            return false
        }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let taken = mallopt(topPadParameter, Int32(topPad)) == 1
        if taken { reserved.store(true, ordering: .relaxed) }
        return taken
    }

    /// Whether glibc took the top pad in this process (for the daemon's startup log).
    public static var isReserved: Bool { reserved.load(ordering: .relaxed) }

    private static let reserved = Atomic<Bool>(false)

    /// `M_TOP_PAD` in `<malloc.h>`.
    static let topPadParameter: Int32 = -2
}
