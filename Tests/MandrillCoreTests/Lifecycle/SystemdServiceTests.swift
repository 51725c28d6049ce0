import Testing
@testable import MandrillCore

@Suite(.timeLimit(.minutes(1)))
struct SystemdServiceTests {
    static func service(socket: FakeNotifySocket, clock: ManualClock, heartbeat: Heartbeat, shutdown: Shutdown) -> SystemdService {
        SystemdService(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.notifySocket, "WATCHDOG_USEC": "2000000"]),
            heartbeat: heartbeat, subscription: RecordingSubscription(), shutdown: shutdown, table: InFlightTable(),
            totals: RunTotals(), drainTimeout: .seconds(20), staleAfter: .seconds(5), clock: clock, logger: .silent)
    }

    /// The next datagram that is not a STATUS line.
    static func nextState(_ socket: FakeNotifySocket) async throws -> String {
        while true {
            let message = try await socket.next()
            if !message.hasPrefix("STATUS=") { return message }
        }
    }

    @Test(arguments: [false, true])
    func readyThenWatchdogThenStoppingInThatOrder(abstract: Bool) async throws {
        let socket = try FakeNotifySocket(abstract: abstract)
        defer { socket.close() }
        let clock = ManualClock()
        let heartbeat = Heartbeat(clock: clock)
        let shutdown = Shutdown()
        let service = Self.service(socket: socket, clock: clock, heartbeat: heartbeat, shutdown: shutdown)
        let running = Task { await service.run() }
        defer { running.cancel() }
        #expect(try await Self.nextState(socket) == "READY=1")
        #expect(try await Self.nextState(socket) == "WATCHDOG=1")
        shutdown.begin(.signal("SIGTERM"))
        service.stopping()
        #expect(try await Self.nextState(socket) == "STOPPING=1")
        #expect(try await Self.nextState(socket).hasPrefix("EXTEND_TIMEOUT_USEC=35000000"))
    }

    @Test func watchdogPingsStopWhileTheConsumerIsWedgedAndResumeWithProgress() async throws {
        let socket = try FakeNotifySocket(abstract: true)
        defer { socket.close() }
        let clock = ManualClock()
        let heartbeat = Heartbeat(clock: clock)
        let service = Self.service(socket: socket, clock: clock, heartbeat: heartbeat, shutdown: Shutdown())
        let running = Task { await service.run() }
        defer { running.cancel() }
        #expect(try await Self.nextState(socket) == "READY=1")
        #expect(try await Self.nextState(socket) == "WATCHDOG=1")
        // No beats from here on: pings continue while the heartbeat is younger than
        // staleAfter (5 s), then stop.
        for _ in 0..<9 {
            try await clock.waitForSleepers(1)
            clock.advance(by: .seconds(1))
        }
        try await clock.waitForSleepers(1)
        // A marker datagram shows where the wedged period ends in the socket's order.
        SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.notifySocket]).send("MARK=1")
        var seen: [String] = []
        while true {
            let message = try await socket.next()
            if message == "MARK=1" { break }
            seen.append(message)
        }
        #expect(seen.filter { $0 == "WATCHDOG=1" }.count == 4, "pings at 1–4 s, none from 5 s on: \(seen)")
        heartbeat.beat()
        clock.advance(by: .seconds(1))
        #expect(try await Self.nextState(socket) == "WATCHDOG=1", "progress brings the pings back")
    }
}
