import MandrillCore
import Synchronization
import Testing

@Suite struct MetricsServerTests {
    final class Readiness: Sendable {
        let ready = Atomic(false)
    }

    private func withServer(
        limits: MetricsServerLimits = MetricsServerLimits(readTimeout: .seconds(2)),
        readiness: Readiness = Readiness(),
        _ body: (Int, MetricsServer) async throws -> Void
    ) async throws {
        let metrics = MandrillMetrics(version: "9.9.9")
        metrics.messagesReceived.increment(by: 3)
        let routes = MetricsRoutes(registry: metrics.registry) { readiness.ready.load(ordering: .relaxed) }
        let server = try MetricsServer(listen: "127.0.0.1:0", limits: limits, handler: routes.respond(to:))
        let port = try server.start()
        defer { server.stop() }
        try await body(port, server)
    }

    @Test func metricsAreServedAsPrometheusText() async throws {
        try await withServer { port, _ in
            let reply = await RawHTTPClient.request("/metrics", port: port)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(reply.body.contains("mandrill_messages_received_total 3\n"))
            #expect(reply.header("Content-Length") == String(reply.body.utf8.count))
        }
    }

    @Test func healthzAnswersOk() async throws {
        try await withServer { port, _ in
            let reply = await RawHTTPClient.request("/healthz", port: port)
            #expect(reply.status == 200)
            #expect(reply.body == "ok\n")
        }
    }

    @Test func readyzFollowsTheReadinessClosure() async throws {
        let readiness = Readiness()
        try await withServer(readiness: readiness) { port, _ in
            #expect(await RawHTTPClient.request("/readyz", port: port).status == 503)
            readiness.ready.store(true, ordering: .relaxed)
            #expect(await RawHTTPClient.request("/readyz", port: port).status == 200)
        }
    }

    @Test func unknownPathIsNotFoundAndOtherMethodsAreNotAllowed() async throws {
        try await withServer { port, _ in
            #expect(await RawHTTPClient.request("/nope", port: port).status == 404)
            let post = await RawHTTPClient.send(
                Array("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".utf8), port: port)
            #expect(post.status == 405)
            #expect(post.header("Allow")?.contains("GET") == true)
        }
    }

    @Test func headAnswersWithoutBody() async throws {
        try await withServer { port, _ in
            let reply = await RawHTTPClient.request("/metrics", method: "HEAD", port: port)
            #expect(reply.status == 200)
            #expect(reply.body.isEmpty)
            #expect(Int(reply.header("Content-Length") ?? "") ?? 0 > 0)
        }
    }

    @Test func oversizedRequestHeadIsRefused() async throws {
        try await withServer { port, _ in
            let big = "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\n"
            let reply = await RawHTTPClient.send(Array(big.utf8), port: port)
            // 431, or a reset that destroyed it: either way no metrics.
            #expect(reply.status == 431 || reply.status == nil)
            #expect(!reply.body.contains("mandrill_"))
            #expect(await RawHTTPClient.request("/healthz", port: port).status == 200)
        }
    }

    @Test(arguments: ["\u{0}\u{1}\u{2}\u{FF}binary", "GARBAGE\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
                      "GET /metrics HTTP/9.9\r\n\r\n", "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n"])
    func garbageIsAnsweredWithBadRequest(_ garbage: String) async throws {
        try await withServer { port, _ in
            let reply = await RawHTTPClient.send(Array(garbage.utf8), port: port)
            #expect(reply.status == 400)
        }
    }

    @Test func silentClientIsTimedOutWhileOthersAreServed() async throws {
        let limits = MetricsServerLimits(readTimeout: .milliseconds(200))
        try await withServer(limits: limits) { port, _ in
            let silent = try #require(LoopbackConnection(port: port, timeout: .seconds(3)))
            defer { silent.close() }
            #expect(await RawHTTPClient.request("/healthz", port: port).status == 200)
            let started = ContinuousClock.now
            let (bytes, closed) = await RawHTTPClient.offThread { silent.readToEnd() }
            #expect(closed)
            #expect(ContinuousClock.now - started < Promptly.bound)
            // The server's 408 (not the client's own 3 s timeout) ended the read.
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408"))
        }
    }

    @Test func connectionsBeyondTheCapAreTurnedAway() async throws {
        let limits = MetricsServerLimits(readTimeout: .seconds(5), maxConnections: 2)
        try await withServer(limits: limits) { port, _ in
            let idle = try (0..<2).map { _ in try #require(LoopbackConnection(port: port, timeout: .seconds(3))) }
            let excess = try #require(LoopbackConnection(port: port, timeout: .seconds(3)))
            let (bytes, closed) = await RawHTTPClient.offThread { excess.readToEnd() }
            excess.close()
            #expect(closed)
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503"))
            idle.forEach { $0.close() }
            // The server notices the closed idle connections at once; retry briefly until it has.
            var status: Int?
            for _ in 0..<200 where status != 200 {
                status = await RawHTTPClient.request("/healthz", port: port).status
            }
            #expect(status == 200)
        }
    }

    @Test func stopReturnsPromptlyWithIdleClientsConnected() async throws {
        let limits = MetricsServerLimits(readTimeout: .seconds(30))
        try await withServer(limits: limits) { port, server in
            let idle = try (0..<3).map { _ in try #require(LoopbackConnection(port: port, timeout: .seconds(3))) }
            defer { idle.forEach { $0.close() } }
            #expect(await RawHTTPClient.request("/healthz", port: port).status == 200)
            let started = ContinuousClock.now
            await RawHTTPClient.offThread { server.stop() }
            #expect(ContinuousClock.now - started < Promptly.bound)
            for connection in idle {
                #expect(await RawHTTPClient.offThread { connection.readToEnd() }.closed)
            }
            #expect(LoopbackConnection(port: port, timeout: .seconds(1)) == nil)
        }
    }

    @Test func runStopsWhenItsTaskIsCancelled() async throws {
        let server = try MetricsServer(listen: "127.0.0.1:0") { _ in .text(200, "hi") }
        let task = Task { try await server.run() }
        // run() binds as soon as it starts; poll for that, bounded, without sleeping.
        let deadline = ContinuousClock.now + .seconds(5)
        while server.port == nil && ContinuousClock.now < deadline { await Task.yield() }
        let port = try #require(server.port)
        #expect(await RawHTTPClient.request("/", port: port).status == 200)
        task.cancel()
        try await task.value
        #expect(server.port == nil)
        #expect(LoopbackConnection(port: port, timeout: .seconds(1)) == nil)
    }

    @Test func startFailsClearlyWhenThePortIsTaken() async throws {
        try await withServer { port, _ in
            let second = try MetricsServer(listen: "127.0.0.1:\(port)") { _ in .text(200, "") }
            #expect(throws: MetricsServerError.self) { try second.start() }
        }
    }

    @Test(arguments: ["", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "[::1]9464", "[::1", "host:port"])
    func invalidListenAddressesAreRejectedWithTheirText(_ text: String) {
        do {
            _ = try MetricsServer(listen: text) { _ in .text(200, "") }
            Issue.record("\(text) accepted")
        } catch {
            #expect(error.code == .invalidListenAddress)
            #expect(error.message.contains("\"\(text)\""))
        }
    }

    @Test func addressNotOnThisMachineFailsAtStartWithItsName() throws {
        // 192.0.2.0/24 is reserved for documentation: never a local address.
        let server = try MetricsServer(listen: "192.0.2.1:0") { _ in .text(200, "") }
        do {
            try server.start()
            Issue.record("started")
        } catch {
            #expect(error.code == .bindFailed)
            #expect(error.message.contains("192.0.2.1:0"))
        }
        #expect(throws: MetricsServerError.self) { try server.start() }
    }
}
