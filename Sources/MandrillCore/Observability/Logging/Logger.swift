import Synchronization

/// A structured logger: constant message sentences, data in fields (`msg_id`, `host`,
/// `attempt`, `stage`, `error`). Loggers are created once in `main` and passed in.
///
/// Copies share one level, so a SIGHUP reload changes every copy at once.
public struct Logger: Sendable {
    private let core: Core
    private var metadata: [(String, String)]

    /// Creates a logger writing to `sink`.
    public init(
        level: LogLevel = .info, format: LogFormat = .logfmt, journald: Bool = false,
        sink: any LogSink = StandardErrorSink(), clock: any MandrillClock = SystemClock()
    ) {
        core = Core(level: level, format: format, journald: journald, sink: sink, clock: clock)
        metadata = []
    }

    /// A logger that writes nothing (for benchmarks and tests that do not look at logs).
    public static var silent: Logger {
        Logger(level: .error, sink: DiscardingSink())
    }

    /// The current threshold.
    public var level: LogLevel { LogLevel(rawValue: core.level.load(ordering: .relaxed)) ?? .info }

    /// Changes the threshold for this logger and every copy of it.
    public func setLevel(_ level: LogLevel) { core.level.store(level.rawValue, ordering: .relaxed) }

    /// Changes the line format for this logger and every copy of it.
    public func setFormat(_ format: LogFormat) { core.formatter.withLock { $0.format = format } }

    /// Whether a line at `level` would be written.
    @inline(__always)
    public func isEnabled(_ level: LogLevel) -> Bool { level.rawValue >= core.level.load(ordering: .relaxed) }

    /// A copy that adds `fields` to every line.
    public func with(_ fields: KeyValuePairs<String, any CustomStringConvertible>) -> Logger {
        var copy = self
        copy.metadata += fields.map { ($0.key, $0.value.description) }
        return copy
    }

    /// Writes a line at `level` if enabled; the message and fields are built only then.
    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]
    ) {
        guard isEnabled(level) else { return }
        var all = metadata
        for (key, value) in fields() { all.append((key, value.description)) }
        let formatter = core.formatter.withLock { $0 }
        core.sink.write(formatter.line(level: level, message: message(), fields: all, wallTime: core.clock.wallTime))
    }

    /// Logs at trace level.
    public func trace(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        log(.trace, message(), fields())
    }

    /// Logs at debug level.
    public func debug(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        log(.debug, message(), fields())
    }

    /// Logs at info level.
    public func info(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        log(.info, message(), fields())
    }

    /// Logs at warning level.
    public func warning(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        log(.warning, message(), fields())
    }

    /// Logs at error level.
    public func error(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> KeyValuePairs<String, any CustomStringConvertible> = [:]) {
        log(.error, message(), fields())
    }

    // Shared by all copies so that reloads reach every holder of the logger.
    private final class Core: Sendable {
        let level: Atomic<Int>
        let formatter: Mutex<LogLineFormatter>
        let sink: any LogSink
        let clock: any MandrillClock

        init(level: LogLevel, format: LogFormat, journald: Bool, sink: any LogSink, clock: any MandrillClock) {
            self.level = Atomic(level.rawValue)
            self.formatter = Mutex(LogLineFormatter(format: format, journaldPrefix: journald))
            self.sink = sink
            self.clock = clock
        }
    }
}

/// A sink that drops every line.
public struct DiscardingSink: LogSink {
    /// Creates the sink.
    public init() {}
    public func write(_ line: String) {}
}
