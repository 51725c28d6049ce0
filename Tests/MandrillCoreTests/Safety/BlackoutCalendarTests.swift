import Testing
@testable import MandrillCore

struct BlackoutCalendarTests {
    // 2027-01-15 is a Friday; Berlin is UTC+1 in January.
    static let fridayHalfPastElevenBerlin: Double = 1_800_052_200  // 2027-01-15T22:30:00Z

    static func berlinFridayNights() -> BlackoutWindowSettings {
        var window = BlackoutWindowSettings()
        window.weekdays = ["fri"]
        window.hours = "22:00-06:00"
        window.timezone = "Europe/Berlin"
        return window
    }

    @Test func windowAcrossMidnightDefersUntilItsEndInItsTimeZone() async {
        let fixture = SafetyGateFixture(wallTime: Self.fridayHalfPastElevenBerlin) {
            $0.blackoutWindows = [Self.berlinFridayNights()]
        }
        #expect(await fixture.admit("m-1", host: "web-1").summary
            == "deferred 23400s: blackout window 22:00-06:00 Europe/Berlin until 2027-01-16T06:00:00+01:00")
        // Saturday 03:00 is still Friday night's window.
        fixture.clock.advance(by: .seconds(3.5 * 3600))
        #expect(await fixture.admit("m-2", host: "web-1").summary
            == "deferred 10800s: blackout window 22:00-06:00 Europe/Berlin until 2027-01-16T06:00:00+01:00")
        fixture.clock.advance(by: .seconds(3 * 3600))
        #expect(await fixture.admit("m-3", host: "web-1").summary == "proceed web-1")
    }

    @Test func windowCoversOnlyNightsStartingOnItsWeekdays() {
        let calendar = BlackoutCalendar([Self.berlinFridayNights()])
        let friday = Self.fridayHalfPastElevenBerlin
        #expect(calendar.blackout(at: friday - 30 * 60) != nil)  // Friday 23:00
        #expect(calendar.blackout(at: friday - 90 * 60 - 1) == nil)  // Friday 21:59:59
        #expect(calendar.blackout(at: friday - 24 * 3600) == nil)  // Thursday 23:30
        #expect(calendar.blackout(at: friday + 24 * 3600) == nil)  // Saturday 23:30
        #expect(calendar.blackout(at: friday + 6.5 * 3600) == nil)  // Saturday 06:00, the end
    }

    @Test func windowEndIsExactAcrossADaylightSavingChange() {
        // Berlin leaves summer time in the night of Saturday 2027-10-30: 22:00 CEST to
        // 06:00 CET is nine hours.
        var window = Self.berlinFridayNights()
        window.weekdays = ["sat"]
        let start: Double = 1_824_926_400  // 2027-10-30T20:00:00Z = 22:00 CEST
        let blackout = BlackoutCalendar([window]).blackout(at: start)
        #expect(blackout?.end == start + 9 * 3600)
        #expect(blackout?.reason == "blackout window 22:00-06:00 Europe/Berlin until 2027-10-31T06:00:00+01:00")
    }

    @Test func adjoiningWindowsDeferToTheEndOfTheLast() {
        var night = BlackoutWindowSettings()
        night.hours = "22:00-06:00"
        var morning = BlackoutWindowSettings()
        morning.hours = "06:00-08:00"
        let blackout = BlackoutCalendar([night, morning]).blackout(at: 1_800_000_000 - 3 * 3600)  // 05:00 UTC
        #expect(blackout?.end == 1_800_000_000)  // 08:00 UTC
        #expect(blackout?.window.hours == "22:00-06:00")
    }
}
