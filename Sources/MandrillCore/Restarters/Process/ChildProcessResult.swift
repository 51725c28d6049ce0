/// How a child ended and what it wrote.
///
/// Sendable: a value type.
public struct ChildProcessResult: Sendable, Equatable {
    /// How the child process itself ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It called `exit` with this code.
        case exited(Int32)
        /// A signal with this number ended it.
        case signalled(Int32)
        /// Its status was reaped by someone else (SIGCHLD ignored in this process).
        case unknown

        public var description: String {
            switch self {
            case .exited(let code): "exited \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            case .unknown: "exit status unknown"
            }
        }
    }

    /// How the child ended.
    public let termination: Termination
    /// What it wrote to stdout, up to the cap.
    public let standardOutput: CapturedOutput
    /// What it wrote to stderr, up to the cap.
    public let standardError: CapturedOutput
    /// From just before the spawn until the output was collected.
    public let duration: Duration
    /// Whether the timeout expired and the process group was signalled because of it.
    public let timedOut: Bool

    /// Creates a result.
    public init(
        termination: Termination,
        standardOutput: CapturedOutput = CapturedOutput(),
        standardError: CapturedOutput = CapturedOutput(),
        duration: Duration = .zero,
        timedOut: Bool = false
    ) {
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.duration = duration
        self.timedOut = timedOut
    }

    /// Whether the child exited 0 before its timeout.
    public var succeeded: Bool {
        termination == .exited(0) && !timedOut
    }
}
