import Testing
@testable import MandrillCore

/// How a stream entry's fields become a restart request, or a malformed delivery.
struct RedisStreamEntryTests {
    @Test func hostAloneDefaultsInstanceAndPublishTimeFromTheEntryID() {
        let entry = RedisStreamEntry(id: "1700000000123-0", fields: ["host", "cattle-k3x9.example.net"])
        #expect(entry.payload == .restart(PubSubMessage(
            id: MessageID("1700000000123-0"), instanceName: "cattle-k3x9", hostname: "cattle-k3x9.example.net",
            publishTime: 1_700_000_000.123)))
    }

    @Test func instanceAndPublishedFieldsAreUsedWhenPresent() {
        let entry = RedisStreamEntry(
            id: "5-0", fields: ["published", "1700000001.5", "host", "a.example.net", "instance", "alpha", "extra", "x"])
        #expect(entry.payload == .restart(PubSubMessage(
            id: MessageID("5-0"), instanceName: "alpha", hostname: "a.example.net", publishTime: 1_700_000_001.5)))
    }

    @Test func entriesWithoutAUsableHostAreMalformed() {
        let cases: [([String]?, String)] = [
            (nil, "entry trimmed from the stream"),
            (["hostname", "a.example.net"], "no host field"),
            (["host", ""], "empty host field"),
            (["host", "a.example.net; rm -rf /"], "host contains whitespace or control characters"),
            (["host", "a\u{7}"], "host contains whitespace or control characters"),
            (["host", "a.example.net", "published", "yesterday"], "published is not a number"),
            (["host"], "odd number of field values"),
            (["host", String(repeating: "a", count: 254)], "host longer than 253 bytes"),
            (["host", String(repeating: "a", count: 2 << 20)], "host longer than 253 bytes"),
            (["host", "a.example.net", "instance", String(repeating: "i", count: 254)], "instance longer than 253 bytes"),
        ]
        for (fields, reason) in cases {
            #expect(RedisStreamEntry(id: "1-0", fields: fields).payload == .malformed(reason: reason))
        }
        // The longest names are taken.
        let longest = String(repeating: "h", count: 253)
        #expect(RedisStreamEntry(id: "1-0", fields: ["host", longest, "instance", longest]).payload == .restart(PubSubMessage(
            id: MessageID("1-0"), instanceName: longest, hostname: longest, publishTime: 0.001)))
    }
}
