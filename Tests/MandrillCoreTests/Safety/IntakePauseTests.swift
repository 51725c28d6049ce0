import Foundation
import Testing
@testable import MandrillCore

struct IntakePauseTests {
    @Test func brakeTripsAfterEnoughFailuresAndToggleResumes() async throws {
        let fixture = SafetyGateFixture {
            $0.brake.failures = 3
            $0.brake.windowSeconds = 60
        }
        let running = Task { await fixture.intake.run() }
        defer { running.cancel() }
        fixture.gate.recordFailure(host: "web-1")
        fixture.clock.advance(by: .seconds(30))
        fixture.gate.recordFailure(host: "web-2")
        #expect(fixture.subscription.pauses == [])
        fixture.gate.recordFailure(host: "web-3")
        #expect(fixture.subscription.pauses == [true])
        #expect(fixture.intake.isPaused)

        fixture.intake.toggle()
        #expect(fixture.subscription.pauses == [true, false])
        #expect(!fixture.intake.isPaused)
        try await eventually {
            fixture.store.records.filter { $0.kind == .intake }.map(\.detail)
                == ["paused: brake: 3 failures in 60s", "resumed: operator"]
        }
    }

    @Test func failuresOutsideTheWindowDoNotTripTheBrake() {
        let fixture = SafetyGateFixture {
            $0.brake.failures = 2
            $0.brake.windowSeconds = 60
        }
        fixture.gate.recordFailure(host: "web-1")
        fixture.clock.advance(by: .seconds(60))
        fixture.gate.recordFailure(host: "web-2")
        #expect(fixture.subscription.pauses == [])
    }

    @Test func operatorToggleSwitchesBetweenPausedAndRunning() {
        let fixture = SafetyGateFixture()
        fixture.intake.toggle()
        #expect(fixture.intake.isPaused)
        fixture.intake.toggle()
        #expect(fixture.subscription.pauses == [true, false])
    }

    @Test func pauseFilePausesIntakeAndItsRemovalResumes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-pause-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pauseFile = IntakePause.pauseFile(inStateDirectory: directory.path)
        let fixture = SafetyGateFixture(pauseFile: pauseFile)
        let running = Task { await fixture.intake.run() }
        defer { running.cancel() }
        try await fixture.clock.waitForSleepers(1)
        #expect(fixture.subscription.pauses == [])

        try Data().write(to: URL(fileURLWithPath: pauseFile))
        fixture.clock.advance(by: .seconds(1))
        try await eventually { fixture.subscription.pauses == [true] }
        // The operator's switch cannot resume while the file exists.
        fixture.intake.toggle()
        #expect(fixture.intake.isPaused)

        try await fixture.clock.waitForSleepers(1)
        try FileManager.default.removeItem(atPath: pauseFile)
        fixture.clock.advance(by: .seconds(1))
        try await eventually { fixture.subscription.pauses == [true, false] }
        try await eventually {
            fixture.store.records.filter { $0.kind == .intake }.map(\.detail)
                == ["paused: pause file \(pauseFile)", "resumed: pause file removed"]
        }
    }
}
