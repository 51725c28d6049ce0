import Glibc
import Testing
@testable import MandrillCore

@Suite struct RedisConnectTimeoutTests {
    /// A loopback listener that never accepts, with its queue already full, so further
    /// connects get no answer (Linux drops their SYNs).
    private final class SaturatedListener {
        let port: Int
        private var descriptors: [Int32] = []

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            descriptors.append(listener)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
                }
            }
            guard bound else { throw RedisError.ioFailed("cannot listen") }
            port = Int(UInt16(bigEndian: address.sin_port))
            for _ in 0 ..< 4 {
                let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                descriptors.append(filler)
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
                }
            }
        }

        deinit { descriptors.forEach { _ = close($0) } }
    }

    @Test func connectGivesUpAtTheConnectTimeout() async throws {
        let listener = try SaturatedListener()
        let options = RedisConnection.Options(connectTimeout: .milliseconds(300))
        let endpoint = RedisEndpoint(address: .tcp(host: "127.0.0.1", port: listener.port))
        let elapsed = await RedisTestSupport.elapsed {
            await #expect(throws: RedisError.connectFailed("127.0.0.1:\(listener.port): timed out")) {
                _ = try await RedisConnection.connect(to: endpoint, options: options)
            }
        }
        // The upper bound only tells "gave up at the timeout" from "hung": a loaded CI
        // machine may be slow to schedule the connecting thread.
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10))
    }

    @Test func cancellingAConnectReturnsPromptly() async throws {
        let listener = try SaturatedListener()
        let endpoint = RedisEndpoint(address: .tcp(host: "127.0.0.1", port: listener.port))
        let connecting = Task { try await RedisConnection.connect(to: endpoint, options: .init(connectTimeout: .seconds(30))) }
        let elapsed = await RedisTestSupport.elapsed {
            connecting.cancel()
            await #expect(throws: CancellationError.self) { _ = try await connecting.value }
        }
        // Far below the 30 s timeout: the cancellation ended it. Not tighter: a loaded CI
        // machine may be slow to schedule the connecting thread (1.3 s was seen).
        #expect(elapsed < .seconds(5))
    }
}
