import MandrillCore
import Testing

@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func readyWatchdogAndStoppingArriveInOrder(abstract: Bool) async throws {
        let socket = try FakeNotifySocket(abstract: abstract)
        defer { socket.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.notifySocket])
        #expect(notifier.isEnabled)
        #expect(notifier.ready())
        #expect(notifier.watchdog())
        #expect(notifier.stopping())
        #expect(try await socket.next() == "READY=1")
        #expect(try await socket.next() == "WATCHDOG=1")
        #expect(try await socket.next() == "STOPPING=1")
    }

    @Test func statusAndTimeoutExtensionAreSpelledAsSystemdExpects() async throws {
        let socket = try FakeNotifySocket(abstract: true)
        defer { socket.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.notifySocket])
        notifier.status("draining 3\nmessages")
        notifier.extendTimeout(.seconds(20))
        notifier.reloading()
        #expect(try await socket.next() == "STATUS=draining 3 messages")
        #expect(try await socket.next() == "EXTEND_TIMEOUT_USEC=20000000")
        #expect(try await socket.next().hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
    }

    @Test func withoutNotifySocketEveryCallIsANoOp() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(!notifier.ready())
        #expect(!notifier.watchdog())
        #expect(!notifier.stopping())
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func unusableNotifySocketValuesDisableNotification() {
        for value in ["", "relative/path", "vsock:2:1234", "@", "/" + String(repeating: "x", count: 200)] {
            #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": value]).isEnabled, "\(value)")
        }
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsecForThisProcess() {
        let mine = SystemdNotifier(environment: ["WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "42"], pid: 42)
        #expect(mine.watchdogInterval == .seconds(5))
        let anyPID = SystemdNotifier(environment: ["WATCHDOG_USEC": "3000"], pid: 42)
        #expect(anyPID.watchdogInterval == .microseconds(1500))
        let other = SystemdNotifier(environment: ["WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "7"], pid: 42)
        #expect(other.watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
    }

    @Test func abstractAddressLengthHasNoTrailingNul() throws {
        let address = try #require(UnixDatagramAddress(notifySocket: "@abc"))
        #expect(address.pathBytes == [0, 97, 98, 99])
        #expect(address.isAbstract)
        #expect(address.description == "@abc")
        address.withSockaddr { _, length in
            #expect(Int(length) == 2 + 4) // sun_family is 2 bytes on Linux
        }
    }
}
