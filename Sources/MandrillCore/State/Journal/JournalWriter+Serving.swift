extension JournalWriter {
    /// The writer thread's loop: take what is pending, write it, install snapshots, repeat
    /// until closed. A write or fsync error poisons the journal; it is never retried.
    mutating func serve() {
        var batch: [StateRecord] = []
        while true {
            batch.removeAll(keepingCapacity: true)
            guard case .work(let compactions, let closing) = queue.takeWork(into: &batch) else {
                queue.waitForWork()
                continue
            }
            var remaining = compactions[...]
            do {
                if !batch.isEmpty { try write(batch) }
                while let request = remaining.first {
                    try compact(request)
                    remaining.removeFirst()
                    request.continuation.resume()
                }
            } catch {
                abandon()
                queue.fail(fatal(error), alsoFailing: remaining)
            }
            if closing {
                finish()
                queue.finishClose()
                return
            }
        }
    }

    private func fatal(_ error: any Error) -> JournalError {
        if let error = error as? JournalError { return error }
        return .fileSystem(operation: String(describing: error), path: directory, errno: 0)
    }
}
