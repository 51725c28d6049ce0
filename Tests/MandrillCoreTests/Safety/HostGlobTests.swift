import Testing
@testable import MandrillCore

struct HostGlobTests {
    @Test func starMatchesAnyRunAndQuestionMarkExactlyOneCharacter() {
        #expect(HostGlob("web-*").matches("web-1.example.net"))
        #expect(HostGlob("web-*").matches("web-"))
        #expect(!HostGlob("web-*").matches("db-1"))
        #expect(HostGlob("db-?").matches("db-1"))
        #expect(!HostGlob("db-?").matches("db-10"))
        #expect(!HostGlob("db-?").matches("db-"))
        #expect(HostGlob("*.example.net").matches("cattle-k3x9.example.net"))
        #expect(!HostGlob("*.example.net").matches("cattle-k3x9.example.org"))
        #expect(HostGlob("a*b*c").matches("axxbyyc"))
        #expect(!HostGlob("a*b*c").matches("axxbyy"))
        #expect(HostGlob("*").matches(""))
        #expect(!HostGlob("web-1").matches("web-10"))
    }

    @Test func hostnamesMatchWithoutRegardToCase() {
        #expect(HostGlob("WEB-*").matches("web-1.Example.NET"))
        #expect(HostGlob("web-?.example.net").matches("WEB-7.EXAMPLE.NET"))
    }

    @Test func denyWinsOverAllowAndIsNeverRetried() async {
        let fixture = SafetyGateFixture {
            $0.allowHosts = ["web-*", "db-*"]
            $0.denyHosts = ["db-*"]
        }
        #expect(await fixture.admit("m-1", host: "DB-1").summary == "done skipped: denied by denyHosts \"db-*\"")
        #expect(await fixture.admit("m-2", host: "cache-1").summary == "done skipped: not in allowHosts")
        #expect(await fixture.admit("m-3", host: "web-1").summary == "proceed web-1")
    }
}
