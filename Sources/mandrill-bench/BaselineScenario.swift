import Synchronization

/// The practical ceiling: a producer task yields N stamps into an `AsyncStream`; the
/// consumer starts one child task per element, at most 1,000 at once, and each child only
/// records its latency. No pipeline logic at all.
enum BaselineScenario {
    static let maxInFlight = 1_000
    /// Stamps are taken once per this many elements, as the publisher stamps a batch.
    static let stampEvery = 1_024

    /// Elements handled, counted from the children.
    private final class Tally: Sendable {
        let count = Atomic<Int>(0)
    }

    static func run(_ options: BenchOptions) async -> BenchLine {
        let count = options.messageCount(for: .baseline)
        let latency = LatencyHistogram()
        let handled = Tally()
        let recording = options.recordLatency
        let (stream, continuation) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { outer in
            outer.addTask {
                var stamp = ContinuousClock.now
                for index in 0..<count {
                    if index % stampEvery == 0 { stamp = .now }
                    continuation.yield(stamp)
                }
                continuation.finish()
            }
            await withTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for await stamp in stream {
                    if inFlight >= maxInFlight {
                        await group.next()
                        inFlight -= 1
                    }
                    group.addTask {
                        if recording { latency.record(stamp.duration(to: .now)) }
                        handled.count.add(1, ordering: .relaxed)
                    }
                    inFlight += 1
                }
            }
        }
        let seconds = started.duration(to: .now).seconds
        var line = BenchLine(
            scenario: .baseline, messages: count, seconds: seconds, latency: latency, baselineRate: nil)
        line["ratio_to_baseline"] = .number(1)
        line["max_in_flight"] = .int(maxInFlight)
        line["handled"] = .int(handled.count.load(ordering: .relaxed))
        return line
    }
}
