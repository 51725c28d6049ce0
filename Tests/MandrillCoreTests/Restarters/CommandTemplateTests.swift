import Testing
@testable import MandrillCore

@Suite struct CommandTemplateTests {
    let request = RestartRequest(
        messageID: MessageID("m-000000000042"), hostname: "web-1.example.net", instanceName: "web-1", attempt: 2)

    @Test func placeholdersAreFilledInsideArguments() throws {
        let template = try CommandTemplate(["ssh", "--host={hostname}", "{instance}/{message_id}#{attempt}"])
        #expect(try template.arguments(for: request)
            == ["ssh", "--host=web-1.example.net", "web-1/m-000000000042#2"])
    }

    @Test func unknownPlaceholderIsRejectedByName() {
        #expect(throws: CommandTemplateError.unknownPlaceholder(name: "hostnme", argumentIndex: 1)) {
            try CommandTemplate(["ping", "{hostnme}"])
        }
        let message = CommandTemplateError.unknownPlaceholder(name: "hostnme", argumentIndex: 1).description
        #expect(message.contains("{hostnme}"))
    }

    @Test func otherBracesAndShellExpansionsStayLiteral() throws {
        let argv = ["sh", "-c", "awk '{print $1}' ${HOME}/x {} {1,2} {", "{hostname}"]
        let template = try CommandTemplate(argv)
        #expect(try template.arguments(for: request) == Array(argv.dropLast()) + ["web-1.example.net"])
    }

    @Test func emptyCommandIsRejected() {
        #expect(throws: CommandTemplateError.emptyCommand) { try CommandTemplate([]) }
        #expect(throws: CommandTemplateError.emptyCommand) { try CommandTemplate(["", "x"]) }
    }

    @Test(arguments: ["-oProxyCommand=evil", "web-1; rm -rf /", "", "web 1", "$(reboot)"])
    func unsafeHostnamesAreRefused(hostname: String) throws {
        let template = try CommandTemplate(["ssh", "{hostname}"])
        let request = RestartRequest(messageID: MessageID("m-1"), hostname: hostname, instanceName: "i", attempt: 1)
        #expect(throws: CommandTemplateError.unsafeValue(placeholder: "hostname", value: hostname)) {
            try template.arguments(for: request)
        }
    }

    @Test func unusedPlaceholdersAreNotChecked() throws {
        let template = try CommandTemplate(["restart", "{hostname}"])
        let request = RestartRequest(messageID: MessageID("m-1"), hostname: "db-2", instanceName: "", attempt: 1)
        #expect(try template.arguments(for: request) == ["restart", "db-2"])
    }
}
