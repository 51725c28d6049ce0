/// Process exit codes, following sysexits.
public enum ExitCode {
    /// Success.
    public static let ok: Int32 = 0
    /// Bad command line.
    public static let usage: Int32 = 64
    /// A dependency (Redis) is unavailable.
    public static let unavailable: Int32 = 69
    /// Internal error.
    public static let software: Int32 = 70
    /// Could not write state durably (fsync failed).
    public static let ioError: Int32 = 74
    /// Bad configuration.
    public static let config: Int32 = 78
}
