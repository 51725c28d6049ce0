extension RedisStreamSubscription {
    public func extendLeases(_ deliveries: [Delivery], by duration: Duration) async {
        // Redis keeps no deadline, only the idle time: resetting it keeps the entry ours for
        // `reclaimIdle`, which validation keeps above `duration` (the ack deadline).
        // Settled ones are skipped: claiming a nacked entry would undo its shorter idle time.
        let ids = state.withLock { state in deliveries.map(\.id.rawValue).filter { state.held[$0] != nil } }
        guard !ids.isEmpty else { return }
        guard commandClient.consecutiveFailures == 0 else {
            logger.debug("Skipped extending leases while Redis is unreachable.", ["count": ids.count])
            return
        }
        var pipeline: [[String]] = []
        var start = 0
        while start < ids.count {
            let end = min(start + RedisStreamCommands.maxIDsPerCommand, ids.count)
            pipeline.append(commands.claim(ids[start..<end]))
            start = end
        }
        do {
            let replies = try await commandClient.send(pipeline, readTimeout: settings.commandTimeout)
            let kept = try replies.reduce(0) { $0 + (try RedisStreamReplies.ids($1).count) }
            if kept < ids.count {
                logger.debug("Some leases were not extended: their entries were acknowledged or trimmed.", [
                    "count": ids.count - kept,
                ])
            }
        } catch {
            logger.warning("Extending leases failed.", ["count": ids.count, "error": RedisError.wrapping(error)])
        }
    }
}
