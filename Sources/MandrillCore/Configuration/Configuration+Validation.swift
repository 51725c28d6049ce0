import Foundation

extension Configuration {
    /// Every problem with the values, each naming its JSON path; empty when valid.
    public func validate() -> [ConfigurationError] {
        var check = ValueChecks()
        check.atLeast("subscription.maxInFlight", subscription.maxInFlight, 1)
        // The state store reserves room for this many messages in hand at start.
        if subscription.maxInFlight > 1_000_000 {
            check.fail("subscription.maxInFlight", "must be at most 1000000")
        }
        check.notNegative("subscription.inProcess.publishRatePerSecond", subscription.inProcess.publishRatePerSecond)
        check.atLeast("subscription.inProcess.messages", subscription.inProcess.messages, 0)
        check.atLeast("subscription.inProcess.hostPoolSize", subscription.inProcess.hostPoolSize, 1)
        if subscription.inProcess.hostPoolSize > 1_000_000 {
            check.fail("subscription.inProcess.hostPoolSize", "must be at most 1000000")
        }
        // Host names stay within DNS's 253 bytes, the limit a Redis entry's host is held
        // to (`RedisStreamEntry.maxNameBytes`), with room for the instance name.
        if subscription.inProcess.hostnameSuffix.utf8.count > 200 {
            check.fail("subscription.inProcess.hostnameSuffix", "must be at most 200 bytes")
        }
        check.nonEmpty("subscription.redis.url", subscription.redis.url)
        check.nonEmpty("subscription.redis.stream", subscription.redis.stream)
        check.nonEmpty("subscription.redis.group", subscription.redis.group)
        check.nonEmpty("subscription.redis.deadLetterStream", subscription.redis.deadLetterStream)
        check.atLeast("subscription.redis.blockMilliseconds", subscription.redis.blockMilliseconds, 1)
        check.atLeast("subscription.redis.maxLength", subscription.redis.maxLength, 0)
        check.positive("subscription.redis.reclaimIdleSeconds", subscription.redis.reclaimIdleSeconds)
        if subscription.kind == .redis && subscription.redis.reclaimIdleSeconds <= lease.ackDeadlineSeconds {
            check.fail("subscription.redis.reclaimIdleSeconds", "must exceed lease.ackDeadlineSeconds (\(lease.ackDeadlineSeconds)), or live messages are stolen")
        }

        check.positive("lease.ackDeadlineSeconds", lease.ackDeadlineSeconds)
        check.positive("lease.extendEverySeconds", lease.extendEverySeconds)
        check.positive("lease.maxLeaseSeconds", lease.maxLeaseSeconds)
        if lease.extendEverySeconds >= lease.ackDeadlineSeconds {
            check.fail("lease.extendEverySeconds", "must be below lease.ackDeadlineSeconds (\(lease.ackDeadlineSeconds)), or leases lapse between extensions")
        }

        check.atLeast("retry.maxAttempts", retry.maxAttempts, 1)
        check.notNegative("retry.initialBackoffSeconds", retry.initialBackoffSeconds)
        check.notNegative("retry.maxBackoffSeconds", retry.maxBackoffSeconds)
        if retry.multiplier < 1 { check.fail("retry.multiplier", "must be at least 1") }
        check.fraction("retry.jitter", retry.jitter)
        check.atLeast("retry.maxDeliveries", retry.maxDeliveries, 1)
        check.notNegative("retry.nackDelaySeconds", retry.nackDelaySeconds)

        let simulated = restarter.simulated
        check.atLeast("restarter.simulated.minLatencyMs", simulated.minLatencyMs, 0)
        if simulated.maxLatencyMs < simulated.minLatencyMs {
            check.fail("restarter.simulated.maxLatencyMs", "must be at least minLatencyMs (\(simulated.minLatencyMs))")
        }
        check.fraction("restarter.simulated.failureRate", simulated.failureRate)
        check.fraction("restarter.simulated.permanentFailureRate", simulated.permanentFailureRate)
        if (0...1).contains(simulated.failureRate) && (0...1).contains(simulated.permanentFailureRate)
            && simulated.failureRate + simulated.permanentFailureRate > 1 {
            check.fail("restarter.simulated.permanentFailureRate", "failureRate + permanentFailureRate must not exceed 1")
        }
        if restarter.kind == .command && restarter.command.argv.isEmpty {
            check.fail("restarter.command.argv", "must name a command when restarter.kind is \"command\"")
        }
        check.positive("restarter.command.timeoutSeconds", restarter.command.timeoutSeconds)
        check.positive("restarter.command.killAfterSeconds", restarter.command.killAfterSeconds)
        check.atLeast("restarter.command.maxOutputBytes", restarter.command.maxOutputBytes, 0)
        check.positive("restarter.verify.intervalSeconds", restarter.verify.intervalSeconds)
        check.positive("restarter.verify.timeoutSeconds", restarter.verify.timeoutSeconds)
        for (index, code) in restarter.command.retryableExitCodes.enumerated() where !(1...255).contains(code) {
            check.fail("restarter.command.retryableExitCodes[\(index)]", "must be an exit code from 1 to 255")
        }
        for (name, argv) in [("restarter.command.argv", restarter.command.argv), ("restarter.verify.argv", restarter.verify.argv)] {
            if let problem = CommandPlaceholders.firstUnknown(in: argv) {
                check.fail(name, problem)
            }
        }

        check.nonEmpty("state.directory", state.directory)
        check.atLeast("state.segmentBytes", state.segmentBytes, 4096)
        check.notNegative("state.dedupeWindowSeconds", state.dedupeWindowSeconds)
        check.notNegative("shutdown.drainTimeoutSeconds", shutdown.drainTimeoutSeconds)
        check.positive("debug.slowStageSeconds", debug.slowStageSeconds)

        if LogLevel(name: logging.level) == nil {
            check.fail("logging.level", "must be one of trace, debug, info, warning, error, not \"\(logging.level)\"")
        }
        if LogFormat(rawValue: logging.format) == nil {
            check.fail("logging.format", "must be \"logfmt\" or \"json\", not \"\(logging.format)\"")
        }
        if !metrics.listen.isEmpty && ListenAddress(parsing: metrics.listen) == nil {
            check.fail("metrics.listen", "must be host:port (like 127.0.0.1:9464) or empty to turn it off")
        }
        check.problems += safety.validate(path: "safety")
        return check.problems
    }
}

/// Collects value problems with their paths.
struct ValueChecks {
    var problems: [ConfigurationError] = []

    mutating func fail(_ path: String, _ message: String) {
        problems.append(ConfigurationError(path: path, message))
    }

    mutating func atLeast(_ path: String, _ value: Int, _ minimum: Int) {
        if value < minimum { fail(path, "must be at least \(minimum), not \(value)") }
    }

    mutating func positive(_ path: String, _ value: Double) {
        if !(value > 0) || !value.isFinite { fail(path, "must be a positive number of seconds, not \(value)") }
    }

    mutating func notNegative(_ path: String, _ value: Double) {
        if !(value >= 0) || !value.isFinite { fail(path, "must not be negative, not \(value)") }
    }

    mutating func fraction(_ path: String, _ value: Double) {
        if !(0...1).contains(value) { fail(path, "must be between 0 and 1, not \(value)") }
    }

    mutating func nonEmpty(_ path: String, _ value: String) {
        if value.isEmpty { fail(path, "must not be empty") }
    }
}

/// The placeholders a command template may use.
public enum CommandPlaceholders {
    /// `{hostname}`, `{instance}`, `{message_id}`, `{attempt}`.
    public static let names: Set<String> = ["hostname", "instance", "message_id", "attempt"]

    /// A message naming the first unknown `{placeholder}` in `argv`, or nil.
    static func firstUnknown(in argv: [String]) -> String? {
        for argument in argv {
            var rest = Substring(argument)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let name = String(rest[rest.index(after: open)..<close])
                if !names.contains(name) {
                    return "unknown placeholder {\(name)}; use {hostname}, {instance}, {message_id} or {attempt}"
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        return nil
    }
}
