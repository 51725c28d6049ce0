import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A Unix signal the daemon reacts to.
public enum UnixSignal: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Graceful shutdown (systemd's stop).
    case terminate = 15
    /// Graceful shutdown (Ctrl-C).
    case interrupt = 2
    /// Reload the reloadable configuration.
    case hangup = 1
    /// Log a dump of in-flight messages.
    case user1 = 10
    /// Toggle the intake pause.
    case user2 = 12

    public var description: String {
        switch self {
        case .terminate: "SIGTERM"
        case .interrupt: "SIGINT"
        case .hangup: "SIGHUP"
        case .user1: "SIGUSR1"
        case .user2: "SIGUSR2"
        }
    }
}

/// Delivers Unix signals as an `AsyncStream`, fed by `DispatchSourceSignal` on a private
/// queue. The default action of each signal is ignored before its source is created, so
/// a signal is never lost to the default handler (which would kill the process).
public final class SignalSource: Sendable {
    /// The signals, in arrival order.
    public let signals: AsyncStream<UnixSignal>
    // Dispatch sources are thread-safe; they are kept only to stay registered.
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    /// Starts trapping `signals` and returns once every source is registered, so no
    /// signal sent after this returns is lost.
    public static func start(trapping trapped: [UnixSignal] = UnixSignal.allCases) async -> SignalSource {
        let queue = DispatchQueue(label: "mandrill.signals")
        let (stream, continuation) = AsyncStream.makeStream(of: UnixSignal.self)
        var sources: [any DispatchSourceSignal] = []
        for signalKind in trapped {
            Glibc.signal(signalKind.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalKind.rawValue, queue: queue)
            source.setEventHandler { continuation.yield(signalKind) }
            // Registration happens asynchronously on the queue; a signal arriving before it
            // would meet SIG_IGN and vanish.
            await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { registered.resume() }
                source.resume()
            }
            sources.append(source)
        }
        return SignalSource(signals: stream, sources: sources)
    }

    private init(signals: AsyncStream<UnixSignal>, sources: [any DispatchSourceSignal]) {
        self.signals = signals
        self.sources = sources
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
