import Foundation

@testable import MandrillCore

/// A fresh temporary directory for one journal test, removed by `remove()`.
///
/// Sendable: immutable.
struct JournalTestDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/mandrill-journal-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw JournalError.fileSystem(operation: "mkdtemp", path: NSTemporaryDirectory(), errno: errno)
        }
        path = String(cString: created)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the files inside, sorted.
    func names() throws -> [String] { try PosixFileSystem().listDirectory(path).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
