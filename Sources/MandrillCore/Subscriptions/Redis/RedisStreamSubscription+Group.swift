extension RedisStreamSubscription {
    /// Whether `error` is a connection failure (which the client paces), not a refused
    /// command or a reply that cannot be read.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        switch RedisError.wrapping(error) {
        case .connectFailed, .authenticationFailed, .ioFailed, .connectionClosed: true
        case .invalidURL, .timeout, .protocolError, .server: false
        }
    }

    /// Creates the consumer group (an existing one is fine); false when intake stopped first.
    func createGroup() async -> Bool {
        var failures = 0
        while state.withLock({ $0.intakeOpen }) && !Task.isCancelled {
            do {
                let reply = try await readClient.send([commands.createGroup])[0]
                if let message = reply.errorMessage, !message.hasPrefix("BUSYGROUP") { throw RedisError.server(message) }
                state.withLock { $0.groupReady = true }
                logger.info("Consuming from the Redis stream.", [
                    "stream": settings.stream, "group": settings.group, "consumer": settings.consumer,
                    "redis": readClient.endpoint,
                ])
                return true
            } catch where !Self.isConnectionFailure(error) {
                failures += 1
                let pause = RedisReconnectBackoff().delay(afterFailures: failures)
                logger.error("Cannot create the consumer group; retrying.", [
                    "stream": settings.stream, "group": settings.group, "error": RedisError.wrapping(error),
                    "retry_in_ms": Int(pause.seconds * 1000),
                ])
                guard (try? await clock.sleep(for: pause)) != nil else { return false }
            } catch {
                // Connection failures: the client logs them and paces reconnects.
                continue
            }
        }
        return false
    }
}
