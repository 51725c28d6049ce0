extension RedisStreamSubscription {
    /// Where the intake loop reads next.
    private struct IntakeCursor {
        /// After this id in this consumer's own pending entries; nil once they are all read.
        var ownPending: String? = "0"
        /// Where the current `XAUTOCLAIM` scan continues; `0-0` starts a new scan.
        var reclaim = "0-0"
        var nextReclaim: ContinuousClock.Instant
        /// Entries trimmed from the stream while pending, dropped by Redis from the
        /// pending list; handed out as malformed deliveries so they are dead-lettered.
        var orphans: [RedisStreamEntry] = []
    }

    /// Reads entries against credits until intake stops or the task is cancelled.
    func runIntake() async {
        var cursor = IntakeCursor(nextReclaim: clock.now)
        var serverErrors = 0
        while !Task.isCancelled {
            if !state.withLock({ $0.groupReady }) {
                guard await createGroup() else { return }
            }
            let reserved: Int
            switch state.withLock({ $0.reserve() }) {
            case .stop: return
            case .wait:
                await intakeWake.wait()
                continue
            case .reserved(let count): reserved = count
            }
            do {
                let (entries, attempts) = try await readBatch(&cursor, count: reserved)
                serverErrors = 0
                let now = clock.now
                let (handedOut, released) = state.withLock {
                    $0.accept(entries, attempts: attempts, reserved: reserved, releaseIdle: settings.reclaimIdle, now: now)
                }
                yield(handedOut)
                if released { flushWake.signal() }
            } catch {
                state.withLock { $0.credits += reserved }
                guard state.withLock({ $0.intakeOpen }), !Task.isCancelled else { return }
                if Self.isConnectionFailure(error) {
                    // The client logs these and paces reconnects.
                    continue
                }
                if case RedisError.server(let message) = error, message.hasPrefix("NOGROUP") {
                    logger.warning("The consumer group is gone; creating it again.", [
                        "stream": settings.stream, "group": settings.group,
                    ])
                    state.withLock { $0.groupReady = false }
                    continue
                }
                serverErrors += 1
                let pause = RedisReconnectBackoff().delay(afterFailures: serverErrors)
                logger.error("Reading from the stream failed; retrying.", [
                    "stream": settings.stream, "error": RedisError.wrapping(error), "retry_in_ms": Int(pause.seconds * 1000),
                ])
                guard (try? await clock.sleep(for: pause)) != nil else { return }
            }
        }
    }

    /// One read: own pending entries first, then orphans, a reclaim scan when due, else new entries.
    private func readBatch(_ cursor: inout IntakeCursor, count: Int) async throws -> ([RedisStreamEntry], [String: Int]) {
        if let after = cursor.ownPending {
            let reply = try await readClient.send(commands.readPending(after: after, count: count))
            let entries = try RedisStreamReplies.readEntries(reply)
            guard let first = entries.first, let last = entries.last else {
                cursor.ownPending = nil
                return ([], [:])
            }
            cursor.ownPending = last.id
            let pending = try await readClient.send(commands.pending(from: first.id, to: last.id, count: entries.count))
            return (entries, try RedisStreamReplies.deliveryCounts(pending))
        }
        if !cursor.orphans.isEmpty {
            let batch = Array(cursor.orphans.prefix(count))
            cursor.orphans.removeFirst(batch.count)
            return (batch, [:])
        }
        let now = clock.now
        if now >= cursor.nextReclaim {
            return try await reclaim(&cursor, count: count)
        }
        let block = min(settings.block, now.duration(to: cursor.nextReclaim))
        // The reply may take the whole BLOCK time; allow for it on top of the usual timeout.
        let reply = try await readClient.send(
            commands.readNew(count: count, block: block), readTimeout: block + readClient.options.readTimeout)
        return (try RedisStreamReplies.readEntries(reply), [:])
    }

    /// One `XAUTOCLAIM` step, then the delivery counts of what it claimed (one pipeline).
    private func reclaim(_ cursor: inout IntakeCursor, count: Int) async throws -> ([RedisStreamEntry], [String: Int]) {
        let reply = try await readClient.send(commands.autoclaim(minIdle: settings.reclaimIdle, cursor: cursor.reclaim, count: count))
        let (next, entries, deleted) = try RedisStreamReplies.autoclaim(reply)
        cursor.reclaim = next
        if next == "0-0" { cursor.nextReclaim = clock.now.advanced(by: settings.reclaimEvery) }
        if !deleted.isEmpty {
            logger.warning("Pending entries were trimmed from the stream before anyone finished them; dead-lettering them.", [
                "stream": settings.stream, "count": deleted.count, "first_id": deleted[0],
            ])
            cursor.orphans += deleted.map { RedisStreamEntry(id: $0, fields: nil) }
        }
        guard !entries.isEmpty else { return ([], [:]) }
        logger.info("Reclaimed entries idle past the reclaim time.", [
            "stream": settings.stream, "count": entries.count, "first_id": entries[0].id,
        ])
        let replies = try await readClient.send(entries.map { commands.pending(from: $0.id, to: $0.id, count: 1) })
        var attempts: [String: Int] = [:]
        for reply in replies {
            attempts.merge(try RedisStreamReplies.deliveryCounts(reply)) { $1 }
        }
        // Claimed but no longer pending (acked meanwhile by its first owner): nothing to do.
        return (entries.filter { attempts[$0.id] != nil }, attempts)
    }
}
