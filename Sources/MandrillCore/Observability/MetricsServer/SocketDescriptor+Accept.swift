#if canImport(Glibc)
import Glibc
#endif

extension SocketDescriptor {
    private typealias Accept4 = @convention(c) (
        Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32
    ) -> Int32

    // Glibc's Swift module does not export accept4 (it needs _GNU_SOURCE), so look it up.
    private static let accept4: Accept4? = dlsym(nil, "accept4").map { unsafeBitCast($0, to: Accept4.self) }

    /// Accepts one pending connection, close-on-exec from the start so a restart command
    /// spawned at that moment cannot inherit it; nil with `errno` set on failure.
    func acceptConnection() -> SocketDescriptor? {
        if let accept4 = Self.accept4 {
            let connection = accept4(fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            return connection >= 0 ? SocketDescriptor(fd: connection) : nil
        }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { return nil }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        return SocketDescriptor(fd: connection)
    }
}
