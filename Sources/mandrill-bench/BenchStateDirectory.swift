import Foundation
import MandrillCore

/// A fresh directory under the system's temporary directory for one run's journal,
/// removed afterwards.
struct BenchStateDirectory {
    let path: String

    /// Creates the directory.
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/mandrill-bench-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchError("cannot create a temporary directory: errno \(errno)")
        }
        path = String(cString: created)
    }

    /// Opens the journal-backed state store here, as the daemon does.
    func openJournal(fsync: StateSettings.FsyncMode, maxInFlight: Int) async throws -> JournalStateStore {
        var settings = StateSettings()
        settings.directory = path
        settings.fsync = fsync
        return try await JournalStateStore.open(settings: settings, logger: .silent, reservingInFlight: maxInFlight) { error in
            // As in the daemon: after a failed write or fsync nothing more can be trusted.
            FileHandle.standardError.write(Data("mandrill-bench: journal failed: \(error)\n".utf8))
            exit(74)
        }
    }

    /// Bytes in the directory's files (segments and snapshots).
    var sizeInBytes: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
