import Foundation
import Testing
@testable import MandrillCore

struct ConfigurationTests {
    private func errors(_ json: String) -> [String] {
        do {
            _ = try Configuration.decode(Data(json.utf8))
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func anUnknownKeyIsNamedByItsPath() {
        #expect(errors(#"{"restarter": {"comand": {"argv": ["true"]}}}"#) == ["restarter.comand: unknown key"])
        #expect(errors(#"{"lease": {"ackDeadline": 10}}"#) == ["lease.ackDeadline: unknown key"])
        #expect(errors(#"{"colour": "blue"}"#) == ["colour: unknown key"])
    }

    @Test func invalidValuesAreNamedByTheirPath() {
        #expect(errors(#"{"lease": {"ackDeadlineSeconds": -1}}"#).contains { $0.hasPrefix("lease.ackDeadlineSeconds: must be a positive number") })
        #expect(errors(#"{"restarter": {"simulated": {"failureRate": 1.5}}}"#) == ["restarter.simulated.failureRate: must be between 0 and 1, not 1.5"])
        #expect(errors(#"{"subscription": {"maxInFlight": 0}}"#) == ["subscription.maxInFlight: must be at least 1, not 0"])
        #expect(errors(#"{"subscription": {"maxInFlight": 1000001}}"#) == ["subscription.maxInFlight: must be at most 1000000"])
        #expect(errors(#"{"subscription": {"maxInFlight": 1000000}}"#).isEmpty)
        let longSuffix = "." + String(repeating: "a", count: 200)
        #expect(errors(#"{"subscription": {"inProcess": {"hostnameSuffix": "\#(longSuffix)"}}}"#)
            == ["subscription.inProcess.hostnameSuffix: must be at most 200 bytes"])
        #expect(errors(#"{"subscription": {"inProcess": {"hostnameSuffix": "\#(longSuffix.dropLast())"}}}"#).isEmpty)
        #expect(errors(#"{"shutdown": {"drainTimeoutSeconds": -5}}"#) == ["shutdown.drainTimeoutSeconds: must not be negative, not -5.0"])
        #expect(errors(#"{"subscription": {"kind": "kafka"}}"#) == [#"subscription.kind: must be one of "in-process", "redis", not "kafka""#])
        #expect(errors(#"{"logging": {"level": "loud"}}"#) == [#"logging.level: must be one of trace, debug, info, warning, error, not "loud""#])
    }

    @Test func aValueOfTheWrongTypeIsNamedByItsPath() {
        #expect(errors(#"{"lease": {"ackDeadlineSeconds": "ten"}}"#) == ["lease.ackDeadlineSeconds: expected a number"])
        #expect(errors(#"{"restarter": {"command": {"argv": "reboot"}}}"#) == ["restarter.command.argv: expected a list"])
    }

    @Test func aFractionWhereAWholeNumberBelongsIsNamedByItsPath() {
        #expect(errors(#"{"subscription": {"maxInFlight": 1.5}}"#) == ["subscription.maxInFlight: must be a whole number, not 1.5"])
        #expect(errors(#"[1, 2]"#) == ["expected a JSON object"])
    }

    @Test func anUnreadableOrEmptyFileSaysWhy() throws {
        func loadErrors(_ path: String) -> [String] {
            do {
                _ = try Configuration.load(path: path)
                return []
            } catch {
                return error.errors.map(\.description)
            }
        }
        #expect(loadErrors("/nonexistent/mandrill.json") == ["cannot read /nonexistent/mandrill.json: No such file or directory"])
        #expect(loadErrors("/tmp") == ["cannot read /tmp: it is a directory"])
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mandrill-empty-\(UUID().uuidString).json").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data("  \n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(loadErrors(empty) == ["\(empty) is empty; write {} for the defaults"])
    }

    @Test func brokenJSONIsReportedAsSuch() {
        let messages = errors(#"{"lease": "#)
        #expect(messages.count == 1 && messages[0].hasPrefix("invalid JSON"))
    }

    @Test func crossFieldRulesNameTheFieldToFix() {
        #expect(errors(#"{"lease": {"extendEverySeconds": 20}}"#).first?.hasPrefix("lease.extendEverySeconds: must be below lease.ackDeadlineSeconds") == true)
        #expect(errors(#"{"restarter": {"kind": "command"}}"#).first?.hasPrefix("restarter.command.argv: must name a command") == true)
        #expect(errors(#"{"restarter": {"command": {"argv": ["ssh", "{hostnme}"]}}}"#).first?.contains("unknown placeholder {hostnme}") == true)
    }

    @Test func anEmptyObjectIsTheEmbeddedDefault() throws {
        #expect(try Configuration.decode(Data("{}".utf8)) == Configuration())
    }

    @Test func theExampleFileHoldsEveryKeyAtItsDefault() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json")
        let example = try Configuration.load(path: url.path)
        #expect(example == Configuration())
        // Every key the program knows appears in the example: re-encoding the defaults
        // yields exactly the example's key set.
        let exampleKeys = try Self.keyPaths(JSONSerialization.jsonObject(with: Data(contentsOf: url)))
        let defaultKeys = try Self.keyPaths(JSONSerialization.jsonObject(with: JSONEncoder().encode(Configuration())))
        #expect(exampleKeys == defaultKeys)
    }

    @Test func renderedConfigurationHidesTheRedisPassword() {
        var configuration = Configuration()
        configuration.subscription.redis.url = "redis://mandrill:hunter2@redis.internal:6379/0"
        let rendered = configuration.renderJSON()
        #expect(!rendered.contains("hunter2"))
        #expect(rendered.contains("redis://mandrill:***@redis.internal:6379/0"))
    }

    private static func keyPaths(_ object: Any, prefix: String = "") -> Set<String> {
        guard let dictionary = object as? [String: Any] else { return [] }
        var paths: Set<String> = []
        for (key, value) in dictionary {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            paths.insert(path)
            paths.formUnion(keyPaths(value, prefix: path))
        }
        return paths
    }
}
