import Foundation
import Testing
@testable import MandrillCore

struct LoggerTests {
    @Test func logfmtLinesCarryConstantMessagesAndQuotedFields() {
        let sink = CapturingSink()
        let logger = Logger(sink: sink, clock: ManualClock(wallTime: 1_800_000_000.25))
        logger.info("Acked message.", ["msg_id": "m-1", "host": "h.example.net", "attempt": 2, "error": "said \"no\"\nthen left"])
        #expect(sink.lines == [#"ts=2027-01-15T08:00:00.250Z level=info msg="Acked message." msg_id=m-1 host=h.example.net attempt=2 error="said \"no\"\nthen left""# + "\n"])
    }

    @Test func jsonLinesAreValidJSON() throws {
        let sink = CapturingSink()
        let logger = Logger(format: .json, sink: sink, clock: ManualClock())
        logger.warning("Nacked message.", ["msg_id": "m-1", "reason": "tab\there"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(sink.lines[0].utf8)) as? [String: String])
        #expect(object["msg"] == "Nacked message.")
        #expect(object["level"] == "warning")
        #expect(object["reason"] == "tab\there")
    }

    @Test func journaldPrefixesCarryThePriority() {
        let sink = CapturingSink()
        let logger = Logger(level: .debug, journald: true, sink: sink, clock: ManualClock())
        logger.error("A.")
        logger.warning("B.")
        logger.info("C.")
        logger.debug("D.")
        #expect(sink.lines.map { String($0.prefix(3)) } == ["<3>", "<4>", "<6>", "<7>"])
    }

    @Test func linesBelowTheLevelAreNotBuiltAndALevelChangeReachesEveryCopy() {
        let sink = CapturingSink()
        let logger = Logger(level: .warning, sink: sink, clock: ManualClock())
        let copy = logger.with(["component": "test"])
        copy.info("Hidden.")
        logger.setLevel(.info)
        copy.info("Shown.")
        #expect(sink.lines.count == 1 && sink.lines[0].contains("component=test"))
    }

    @Test func journalStreamMustNameThisStderr() {
        #expect(!StandardErrorSink.isJournald(environment: [:]))
        #expect(!StandardErrorSink.isJournald(environment: ["JOURNAL_STREAM": "1:2"]))
    }
}
