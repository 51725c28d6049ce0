import MandrillCore
import Testing

@Suite struct MandrillMetricsTests {
    @Test func buildInfoCarriesTheVersionAndIsOne() {
        let metrics = MandrillMetrics(version: "2.1.0")
        #expect(PrometheusSamples(metrics.registry.render()).value("mandrill_build_info", ["version": "2.1.0"]) == 1)
    }

    @Test func knownLabelValuesShowAsZeroBeforeUse() {
        let samples = PrometheusSamples(MandrillMetrics(version: "1").registry.render())
        for reason in MandrillMetrics.nackReasons {
            #expect(samples.value("mandrill_messages_nacked_total", ["reason": reason]) == 0)
        }
        for outcome in MandrillMetrics.restartOutcomes {
            #expect(samples.value("mandrill_restarts_total", ["outcome": outcome]) == 0)
        }
        for stage in ["restart", "save", "ack", "lease"] {
            #expect(samples.value("mandrill_stage_duration_seconds_count", ["stage": stage]) == 0)
        }
    }

    @Test func labelledLookupsReturnOneSeriesPerValue() {
        let metrics = MandrillMetrics(version: "1")
        metrics.messagesNacked(reason: "shutdown_unstarted").increment()
        metrics.messagesNacked(reason: "shutdown_unstarted").increment()
        metrics.messagesNacked(reason: "something_new").increment()
        metrics.messagesNacked(reason: "something_new").increment()
        metrics.restarts(outcome: "succeeded").increment()
        metrics.stageDuration("save").observe(.milliseconds(3))
        metrics.restartDuration.observe(42)
        metrics.inflightMessages.set(7)
        let samples = PrometheusSamples(metrics.registry.render())
        #expect(samples.value("mandrill_messages_nacked_total", ["reason": "shutdown_unstarted"]) == 2)
        #expect(samples.value("mandrill_messages_nacked_total", ["reason": "something_new"]) == 2)
        #expect(samples.value("mandrill_restarts_total", ["outcome": "succeeded"]) == 1)
        #expect(samples.value("mandrill_stage_duration_seconds_bucket", ["stage": "save", "le": "0.005"]) == 1)
        #expect(samples.value("mandrill_restart_duration_seconds_bucket", ["le": "60"]) == 1)
        #expect(samples.value("mandrill_restart_duration_seconds_bucket", ["le": "30"]) == 0)
        #expect(samples.value("mandrill_inflight_messages") == 7)
    }
}
