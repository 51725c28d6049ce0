import Foundation
import MandrillCore
import Testing

@Suite struct ProcessMetricsTests {
    @Test func processMetricsArePlausible() throws {
        let registry = MetricsRegistry()
        ProcessMetrics.register(in: registry)
        let samples = PrometheusSamples(registry.render())
        let resident = try #require(samples.value("process_resident_memory_bytes"))
        let virtual = try #require(samples.value("process_virtual_memory_bytes"))
        let openFDs = try #require(samples.value("process_open_fds"))
        let cpu = try #require(samples.value("process_cpu_seconds_total"))
        let start = try #require(samples.value("process_start_time_seconds"))
        #expect(resident > 1_000_000)
        #expect(virtual >= resident)
        #expect(openFDs >= 3)
        #expect(cpu >= 0)
        let now = Date().timeIntervalSince1970
        #expect(start > now - 86_400 && start <= now + 1)
    }
}
