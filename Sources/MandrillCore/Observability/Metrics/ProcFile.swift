#if canImport(Glibc)
import Glibc
#endif

/// Reads small pseudo-files such as `/proc/self/stat`, whose size is reported as zero,
/// by reading until end of file.
enum ProcFile {
    /// The whole file as UTF-8, or nil when it cannot be opened or is larger than `limit`.
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        #if canImport(Glibc)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += chunk[..<count]
        }
        return nil
        #else
        return nil
        #endif
    }
}
