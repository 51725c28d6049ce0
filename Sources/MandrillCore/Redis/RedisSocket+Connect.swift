#if canImport(Glibc)
import Glibc
#endif

extension RedisSocket {
    /// Connects to `address` within `timeout`; `isCancelled` is asked every 50 ms while
    /// waiting, and a `true` answer throws `CancellationError`. Blocks the calling thread.
    static func connect(
        to address: RedisEndpoint.Address, timeout: Duration, isCancelled: @escaping () -> Bool
    ) throws -> RedisSocket {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        do {
            switch address {
            case .tcp(let host, let port):
                return try connectTCP(host: host, port: port, deadline: deadline, isCancelled: isCancelled)
            case .unix(let path):
                return try connectUnix(path: path)
            }
        } catch .connectionClosed where isCancelled() {
            throw CancellationError()
        }
    }

    private static func connectTCP(
        host: String, port: Int, deadline: ContinuousClock.Instant, isCancelled: @escaping () -> Bool
    ) throws(RedisError) -> RedisSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        // getaddrinfo has no timeout of its own; the resolver's (a few seconds) bounds it.
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw .connectFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = RedisError.connectFailed("no address for \(host)")
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let target = "\(RedisEndpoint.Address.tcp(host: host, port: port))"
            do throws(RedisError) {
                return try attempt(info, target: target, deadline: deadline, isCancelled: isCancelled)
            } catch .connectionClosed {
                throw .connectionClosed
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func attempt(
        _ info: addrinfo, target: String, deadline: ContinuousClock.Instant, isCancelled: @escaping () -> Bool
    ) throws(RedisError) -> RedisSocket {
        let socket = try open(family: info.ai_family, target: target)
        do throws(RedisError) {
            try socket.finishConnect(info.ai_addr, info.ai_addrlen, target: target, deadline: deadline, isCancelled: isCancelled)
        } catch {
            socket.close()
            throw error
        }
        var on: Int32 = 1
        // Pipelined commands must not wait for Nagle's algorithm.
        _ = setsockopt(socket.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(socket.descriptor, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    private static func connectUnix(path: String) throws(RedisError) -> RedisSocket {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw .connectFailed("unix socket path is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let socket = try open(family: AF_UNIX, target: path)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            socket.close()
            // A unix socket connects at once or not at all (EAGAIN: backlog full).
            throw .connectFailed("\(path): \(String(cString: strerror(code)))")
        }
        return socket
    }

    private static func open(family: Int32, target: String) throws(RedisError) -> RedisSocket {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = Glibc.socket(family, type, 0)
        guard descriptor >= 0 else {
            throw .connectFailed("\(target): socket: \(String(cString: strerror(errno)))")
        }
        return RedisSocket(descriptor: descriptor)
    }

    private func finishConnect(
        _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, target: String,
        deadline: ContinuousClock.Instant, isCancelled: @escaping () -> Bool
    ) throws(RedisError) {
        if Glibc.connect(descriptor, address, length) == 0 { return }
        var code = errno
        if code == EINPROGRESS || code == EINTR {
            guard try Self.wait(descriptor, for: Int16(POLLOUT), until: deadline, cancellationCheck: isCancelled) else {
                throw .connectFailed("\(target): timed out")
            }
            var length = socklen_t(MemoryLayout<Int32>.size)
            code = 0
            _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
            if code == 0 { return }
        }
        throw .connectFailed("\(target): \(String(cString: strerror(code)))")
    }
}
