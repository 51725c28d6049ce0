import Glibc

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
        return mallopt(topPadParameter, Int32(topPad)) == 1
    }

    /// `M_TOP_PAD` in `<malloc.h>`.
    static let topPadParameter: Int32 = -2
}
