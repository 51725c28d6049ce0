import Foundation

/// Runs one blocking call on a fresh thread, outside Swift's cooperative pool.
///
/// Not instantiable; a namespace. The bridge is not cancellable by itself: callers make
/// sure the blocking call ends (by killing the child it waits for, for instance).
enum DedicatedThread {
    /// Runs `body` on its own thread and resumes with its result.
    static func run<T: Sendable>(
        name: String,
        _ body: @escaping @Sendable () -> T
    ) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }
}
