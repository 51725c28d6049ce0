#if canImport(Glibc)
import Glibc
#endif

extension MetricsServer {
    /// The accept thread: admits connections up to the cap, answers the rest 503, and
    /// closes the listener when woken by `stop()`.
    func acceptLoop(_ listener: SocketDescriptor, wake: WakePipe) {
        defer {
            listener.close()
            threads.leave()
        }
        while true {
            switch listener.wait(for: Int32(POLLIN), wake: wake, until: nil) {
            case .woken: return
            case .timedOut, .ready: break
            }
            guard let connection = listener.acceptConnection() else {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    // The pending connection stays queued and the listener readable: pause
                    // instead of spinning until descriptors free up.
                    if case .woken = SocketDescriptor(fd: wake.readEnd)
                        .wait(for: Int32(POLLIN), wake: wake, until: .now + .milliseconds(100)) { return }
                }
                continue
            }
            admit(connection, wake: wake)
        }
    }

    private func admit(_ connection: SocketDescriptor, wake: WakePipe) {
        let admitted = state.withLock { state -> Bool in
            guard state.activeConnections < limits.maxConnections else { return false }
            state.activeConnections += 1
            return true
        }
        guard admitted else { return refuse(connection) }
        threads.enter()
        let served = HTTPConnection(socket: connection, wake: wake, limits: limits, handler: handler)
        let spawned = DetachedThread.spawn {
            served.serve()
            self.connectionFinished()
        }
        if !spawned {
            connectionFinished()
            refuse(connection)
        }
    }

    private func connectionFinished() {
        state.withLock { $0.activeConnections -= 1 }
        threads.leave()
    }

    // One non-blocking attempt: the accept thread must never wait on a client.
    private func refuse(_ connection: SocketDescriptor) {
        let response = HTTPResponse.text(503, "too many connections\n").serialized(includeBody: true)
        _ = response.withUnsafeBytes {
            send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
        }
        connection.close()
    }
}
