extension RedisStreamSubscription {
    /// Sends queued settlements whenever there are some, until cancelled.
    func runFlusher() async {
        while !Task.isCancelled {
            await flushWake.wait()
            await flushQueued()
        }
    }

    /// Flushes until nothing is queued or the task is cancelled; after a failure the
    /// settlements stay queued and are sent once Redis answers again.
    func flushQueued() async {
        while !Task.isCancelled && state.withLock({ !$0.queued.isEmpty && !$0.closed }) {
            do {
                try await flushOnce()
            } catch {
                if Task.isCancelled { return }
                logger.debug("Sending acknowledgements failed; they stay queued.", [
                    "unsent": unsentSettlements, "error": RedisError.wrapping(error),
                ])
                // Connect failures are paced by the client; this paces replies that cannot be read.
                if !Self.isConnectionFailure(error) {
                    guard (try? await clock.sleep(for: .milliseconds(100))) != nil else { return }
                }
            }
        }
    }

    /// Sends everything queued: dead-letter copies first, then one pipeline of `XACK`s
    /// (including the dead-lettered entries whose copy was written) and releases.
    func flushOnce() async throws {
        var batch = state.withLock { $0.takeQueued() }
        guard !batch.isEmpty else { return }
        let taken = batch.count
        defer { state.withLock { $0.sent(taken) } }
        do {
            if !batch.deadLetters.isEmpty {
                let letters = batch.deadLetters
                let replies = try await commandClient.send(letters.map(commands.deadLetter), readTimeout: nil)
                batch.deadLetters = []
                for (letter, reply) in zip(letters, replies) {
                    guard let message = reply.errorMessage else {
                        batch.acks.append(letter.id)
                        continue
                    }
                    // Without its copy the entry must not be acked: it stays pending and is redelivered.
                    logger.error("Could not add an entry to the dead-letter stream; it stays pending.", [
                        "msg_id": letter.id, "stream": settings.deadLetterStream, "error": message,
                    ])
                }
            }
            var pipeline: [[String]] = []
            var start = 0
            while start < batch.acks.count {
                let end = min(start + RedisStreamCommands.maxIDsPerCommand, batch.acks.count)
                pipeline.append(commands.ack(batch.acks[start..<end]))
                start = end
            }
            pipeline += batch.releases.map { commands.release($0.id, idle: $0.idle) }
            guard !pipeline.isEmpty else { return }
            let replies = try await commandClient.send(pipeline, readTimeout: nil)
            for message in replies.compactMap(\.errorMessage) {
                logger.error("Redis refused an acknowledgement.", ["stream": settings.stream, "error": message])
            }
        } catch {
            state.withLock { $0.requeue(batch) }
            throw error
        }
    }

    public func close() async {
        stopIntake()
        let deadline = clock.now.advanced(by: settings.closeTimeout)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.flushQueued()
                await self.removeConsumerIfIdle()
            }
            group.addTask { try? await self.clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
        let unsent = unsentSettlements
        if unsent > 0 {
            logger.warning("Closed with acknowledgements unsent; their entries stay pending and will be redelivered.", [
                "unsent": unsent, "stream": settings.stream,
            ])
        }
        state.withLock { $0.closed = true }
        commandClient.close()
        readClient.close()
    }

    /// Deletes this consumer from the group when nothing is pending for it, so daemons
    /// named `<hostname>-<pid>` do not pile up in `XINFO CONSUMERS`; best effort.
    private func removeConsumerIfIdle() async {
        guard state.withLock({ $0.held.isEmpty && $0.queued.isEmpty && $0.sending == 0 }) else { return }
        // Only this daemon assigns entries to its own consumer name, so none can arrive between the two calls.
        guard let pending = try? await commandClient.send(commands.pending(from: "-", to: "+", count: 1)),
            pending.array?.isEmpty == true
        else { return }
        _ = try? await commandClient.send(commands.removeConsumer)
    }
}
