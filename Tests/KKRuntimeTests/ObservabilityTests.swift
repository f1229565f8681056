import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import KKRuntime
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Testing

@Suite("Health and metrics endpoints")
struct ObservabilityTests {
    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test("/health/live answers, /health/ready follows the parts' readiness, /metrics speaks Prometheus")
    func endpoints() async throws {
        let readiness = Readiness()
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "kk_messages_processed_total", dimensions: [("consumer", "kk-test")], factory: factory).increment(by: 3)
        let port = freePort()
        let app = ObservabilityServer.application(host: "127.0.0.1", port: port, readiness: readiness, registry: registry, logger: TestStack.logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var live = (0, "")
        for _ in 0..<50 {
            if let answer = try? await get("http://127.0.0.1:\(port)/health/live") { live = answer; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(live.0 == 200)

        readiness.set("database", ready: false, detail: "connection refused")
        let notReady = try await get("http://127.0.0.1:\(port)/health/ready")
        #expect(notReady.0 == 503)
        #expect(notReady.1.contains("connection refused"))

        readiness.set("database", ready: true)
        readiness.set("consumer", ready: true, detail: "consuming")
        let ready = try await get("http://127.0.0.1:\(port)/health/ready")
        #expect(ready.0 == 200)

        let metrics = try await get("http://127.0.0.1:\(port)/metrics")
        #expect(metrics.0 == 200)
        #expect(metrics.1.contains("kk_messages_processed_total{consumer=\"kk-test\"} 3"))
    }

    @Test("a service exports the depth of the officer queue it fills and its outbox backlog")
    func backlogGauges() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let port = freePort()
        let entry = try await Daemon.start(
            "kk-entry", ["serve"], environment: stack.environment.merging(["KK_HTTP_PORT": String(port), "KK_GAUGE_INTERVAL_MS": "100"]) { _, new in new },
            marker: "outbox relay elected")
        defer { entry.stop() }
        for _ in 0..<3 {
            try await stack.pool.execute("INSERT INTO officer_queue (queue, request_id, entered_at) VALUES ('entri', \(UUID()), now())")
        }
        try await stack.pool.execute("INSERT INTO officer_queue (queue, request_id, entered_at) VALUES ('verifikasi', \(UUID()), now())")
        var metrics = ""
        for _ in 0..<100 {
            metrics = try await get("http://127.0.0.1:\(port)/metrics").1
            if metrics.contains("kk_officer_queue_depth{queue=\"entri\"} 3") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains("kk_officer_queue_depth{queue=\"entri\"} 3"), "\(metrics)")
        #expect(!metrics.contains("queue=\"verifikasi\""), "kk-entry reports only its own queue")
        #expect(metrics.contains("kk_outbox_backlog{source=\"kk-entry\"} 0"), "\(metrics)")
    }
}
