import Dispatch
import Synchronization

/// One connection to a Redis server. Sendable: its mutable state is a `Mutex`, and its
/// socket is used only on its own serial queue.
///
/// Calls run one at a time in the order they were made, on the connection's own
/// dispatch queue, so blocking socket I/O never occupies the cooperative thread pool.
/// Any I/O error, timeout or protocol error breaks the connection, as do `close()` and
/// cancelling a call whose I/O has started (both wake a blocked read at once); a broken
/// connection throws `RedisError.connectionClosed` from every later call.
public final class RedisConnection: RedisCommandSender {
    /// The endpoint this connection was made to.
    public let endpoint: RedisEndpoint
    /// The timeouts and limits in force.
    public let options: Options

    private let socket: RedisSocket
    private let queue: DispatchQueue
    // True until the first failure or close(); the socket is shut down under this lock,
    // so it is never touched after the queue releases it.
    private let open = Mutex(true)

    init(socket: RedisSocket, queue: DispatchQueue, endpoint: RedisEndpoint, options: Options) {
        self.socket = socket
        self.queue = queue
        self.endpoint = endpoint
        self.options = options
    }

    deinit {
        // Queued work retains the connection, so nothing else can be using the socket.
        if open.withLock({ $0 }) { socket.close() }
    }

    /// Whether the connection can still be used.
    public var isOpen: Bool { open.withLock { $0 } }

    /// Sends `commands` in one write and returns their replies in order; error replies
    /// are `.error` values. `readTimeout` replaces `options.readTimeout` for this call.
    public func send(_ commands: [[String]], readTimeout: Duration?) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var encoded: [UInt8] = []
        for command in commands { RESPEncoder.encode(command, into: &encoded) }
        let payload = encoded
        let replyCount = commands.count
        let call = RedisPendingCall()
        let timeout = readTimeout ?? options.readTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard call.install(continuation) else { return }
                queue.async { self.run(call, payload: payload, replyCount: replyCount, readTimeout: timeout) }
            }
        } onCancel: {
            if call.cancel() { self.close() }
        }
    }

    /// Closes the connection, failing a call that is waiting and every later call.
    public func close() {
        let wasOpen = open.withLock { open in
            guard open else { return false }
            open = false
            socket.shutdown()
            return true
        }
        // Release on the queue, after any I/O in progress has seen the shutdown.
        if wasOpen { queue.async { self.socket.close() } }
    }

    private func run(_ call: RedisPendingCall, payload: [UInt8], replyCount: Int, readTimeout: Duration) {
        guard call.start() else { return }
        guard isOpen else { return call.finish(.failure(.connectionClosed)) }
        do throws(RedisError) {
            try socket.write(payload, deadline: .now.advanced(by: options.writeTimeout))
            let replies = try readReplies(count: replyCount, deadline: .now.advanced(by: readTimeout))
            call.finish(.success(replies))
        } catch {
            // After a failure the position in the reply stream is unknown, so the
            // connection cannot be used again.
            close()
            call.finish(.failure(error))
        }
    }

    private func readReplies(count: Int, deadline: ContinuousClock.Instant) throws(RedisError) -> [RESPValue] {
        var parser = RESPParser(limits: options.parserLimits)
        var replies: [RESPValue] = []
        replies.reserveCapacity(count)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            while replies.count < count, let reply = try parser.next() {
                replies.append(reply)
            }
            if replies.count == count { break }
            let received = try socket.read(into: chunk, deadline: deadline)
            parser.append(UnsafeBufferPointer(rebasing: chunk.assumingMemoryBound(to: UInt8.self)[..<received]))
        }
        // Redis sends nothing unasked in RESP2; extra bytes mean the stream is out of step.
        guard parser.isIdle else { throw .protocolError("unexpected bytes after the last reply") }
        return replies
    }
}
