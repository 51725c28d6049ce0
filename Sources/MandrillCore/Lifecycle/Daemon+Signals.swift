extension Daemon {
    /// Reacts to signals until cancelled: TERM/INT shut down (a second one skips the
    /// drain), HUP reloads, USR1 dumps in-flight messages, USR2 toggles the pause.
    func handleSignals(_ signals: AsyncStream<UnixSignal>) async {
        for await signal in signals {
            switch signal {
            case .terminate, .interrupt:
                if !shutdown.isDraining {
                    logger.info("Received a stop signal; shutting down gracefully.", ["signal": signal])
                    shutdown.begin(.signal(signal.description))
                } else if !shutdown.isForced {
                    logger.warning("Received a second stop signal; skipping the rest of the drain.", ["signal": signal])
                    shutdown.force(.signal(signal.description))
                }
            case .hangup:
                reloadConfiguration()
            case .user1:
                dumpInFlight()
            case .user2:
                hooks.togglePause()
            }
        }
    }

    /// SIGHUP: re-reads the file; a valid one replaces the reloadable settings, an invalid
    /// one is refused and the current settings stay.
    func reloadConfiguration() {
        guard let reload = hooks.reload else {
            logger.warning("Received SIGHUP but the daemon runs on the embedded default; nothing to reload.", [:])
            return
        }
        do {
            let fresh = try reload()
            if let level = LogLevel(name: fresh.logging.level) { logger.setLevel(level) }
            if let format = LogFormat(rawValue: fresh.logging.format) { logger.setFormat(format) }
            hooks.applyReload(fresh)
            logger.info("Reloaded configuration.", ["log_level": fresh.logging.level, "log_format": fresh.logging.format])
        } catch {
            logger.error("Configuration reload refused; keeping the current settings.", ["error": "\(error)"])
        }
    }

    /// SIGUSR1: one line per in-flight message.
    func dumpInFlight() {
        let now = clock.now
        let messages = parts.table.all()
        logger.warning("In-flight dump.", ["in_flight": messages.count])
        for message in messages {
            let status = message.status(now: now)
            logger.warning("In-flight message.", [
                "msg_id": message.delivery.id, "host": message.delivery.hostname, "stage": status.stage.rawValue,
                "attempt": status.attempt, "delivery": message.delivery.attempt,
                "age_s": String(format2: message.delivery.receivedAt.duration(to: now).seconds),
                "stage_s": String(format2: status.inStage.seconds),
                "lease_left_s": String(format2: now.duration(to: status.leaseDeadline).seconds),
            ])
        }
    }
}

extension String {
    /// A number with two decimals, without Foundation's formatter.
    init(format2 value: Double) {
        let scaled = (value * 100).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = magnitude % 100
        self = "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
