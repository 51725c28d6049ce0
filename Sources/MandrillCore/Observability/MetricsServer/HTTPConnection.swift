#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection: read one request head within the read timeout, answer it,
/// close. Runs on its own thread; every wait is bounded and interrupted by `stop()`.
struct HTTPConnection {
    let socket: SocketDescriptor
    let wake: WakePipe
    let limits: MetricsServerLimits
    let handler: @Sendable (HTTPRequestHead) -> HTTPResponse

    /// Serves the connection to completion and closes it.
    func serve() {
        // The whole head must arrive by one deadline, so a client sending a byte at a
        // time gains nothing over one sending nothing.
        let deadline = ContinuousClock.now + limits.readTimeout
        var parser = HTTPRequestParser(maxHeadBytes: limits.maxHeadBytes)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            switch socket.wait(for: Int32(POLLIN), wake: wake, until: deadline) {
            case .ready:
                break
            case .timedOut:
                return respond(.text(408, "request timeout\n"), includeBody: true)
            case .woken:
                return socket.close()
            }
            guard let count = socket.receive(into: &chunk), count != 0 else { return socket.close() }
            if count < 0 { continue }
            switch parser.consume(chunk[..<count]) {
            case .needMore:
                continue
            case .rejected(let status):
                let reason = status == 431 ? "request head too large\n" : "bad request\n"
                return respond(.text(status, reason), includeBody: true)
            case .complete(let head):
                return respond(handler(head), includeBody: head.method != "HEAD")
            }
        }
    }

    private func respond(_ response: HTTPResponse, includeBody: Bool) {
        socket.sendAndClose(response.serialized(includeBody: includeBody), wake: wake, limits: limits)
    }
}
