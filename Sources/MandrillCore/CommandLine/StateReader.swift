import Foundation

/// Reads a state directory without changing it (the daemon may be running): the journal's
/// snapshot and records folded into a `StateIndex`.
struct StateReader {
    let directory: String
    let report: RecoveryReport
    let index: StateIndex

    init(directory: String) throws {
        guard FileManager.default.fileExists(atPath: directory) else {
            throw CommandFailure("no state directory at \(directory) (has the daemon run with this configuration?)", exitCode: ExitCode.config)
        }
        self.directory = directory
        do {
            report = try Journal.read(directory: directory)
        } catch {
            throw CommandFailure("cannot read the journal in \(directory): \(error)", exitCode: ExitCode.ioError)
        }
        var index = report.snapshot.flatMap { StateIndex(snapshotBytes: $0) } ?? StateIndex()
        for record in report.records { index.apply(record) }
        self.index = index
    }

    static func timestamp(_ time: Double) -> String {
        String(LogLineFormatter.iso8601(time).dropLast(5)) + "Z"
    }
}
