import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the configuration file with plain system calls, so a failure names the system's
/// reason ("No such file or directory", "Is a directory") instead of a Foundation code.
enum ConfigurationFile {
    /// Files larger than this are not configuration files.
    static let maxBytes = 4 * 1024 * 1024

    static func read(_ path: String) throws(ConfigurationError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, errno) }
        // Pipes are fine (`--config <(generate-config)`); a directory is a mistake.
        guard (status.st_mode & S_IFMT) != S_IFDIR else {
            throw ConfigurationError(path: "", "cannot read \(path): it is a directory")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            if data.count > maxBytes {
                throw ConfigurationError(path: "", "cannot read \(path): larger than \(maxBytes) bytes")
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> ConfigurationError {
        ConfigurationError(path: "", "cannot read \(path): \(String(cString: strerror(code)))")
    }
}
