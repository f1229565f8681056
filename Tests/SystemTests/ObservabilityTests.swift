import Foundation
import Hummingbird
import KKDomain
import KKHTTP
import KKHealth
import KKMessaging
import KKService
import KKStore
import KKTesting
import Kafka
import Logging
import Metrics
import Postgres
import Prometheus
import ServiceLifecycle
import Testing

@Suite("Health and metrics endpoints")
struct ObservabilityTests {
    func get(_ url: String) async throws -> (Int, String) {
        let answer = try await HTTPExchange.send("GET", URL(string: url)!)
        return (answer.status, answer.text(limit: .max))
    }

    @Test("/health/live answers, and fails while a part is stuck in one unit of work; /health/ready follows the parts' readiness, /metrics speaks Prometheus")
    func endpoints() async throws {
        let readiness = Readiness()
        // A limit no busy test machine reaches by accident between two requests.
        let liveness = Liveness(stallLimit: .seconds(60))
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "kk_messages_processed_total", dimensions: [("consumer", "kk-test")], factory: factory).increment(by: 3)
        let port = freePort()
        let app = ObservabilityServer.application(
            host: "127.0.0.1", port: port, readiness: readiness, liveness: liveness, registry: registry, logger: TestStack.logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var live = (0, "")
        for _ in 0..<50 {
            if let answer = try? await get("http://127.0.0.1:\(port)/health/live") {
                live = answer
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(live.0 == 200)
        // The relay began a batch two minutes ago and never finished it: stuck, so Kubernetes restarts the process.
        liveness.begin("relay", at: .now - .seconds(120))
        liveness.begin("consumer")
        let stuck = try await get("http://127.0.0.1:\(port)/health/live")
        #expect(stuck.0 == 503 && stuck.1.contains("relay") && !stuck.1.contains("consumer"), "\(stuck)")
        liveness.end("relay")
        #expect(try await get("http://127.0.0.1:\(port)/health/live").0 == 200)

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
        let entry = try await Self.entry(stack, metricsPort: port)
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

    /// kk-entry serving its metrics on `metricsPort`, its gauges read every 100 ms.
    static func entry(_ stack: IntakeStack, metricsPort port: Int, marker: String = "outbox relay elected") async throws -> Daemon {
        try await Daemon.start(
            "kk-entry", ["serve"],
            environment: stack.daemonEnvironment(for: "kk-entry", replica: true).merging(["KK_HTTP_PORT": String(port), "KK_GAUGE_INTERVAL_MS": "100"]) {
                _, new in new
            },
            marker: marker)
    }

    /// The value of one sample line (`name{labels} value`) in a Prometheus text page, 0 when absent.
    static func sample(_ line: String, in page: String) -> Double {
        page.split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test("each SOP step's duration comes from the event log, once however many replicas run, with the steps over the SOP's standard counted")
    func stepLatencies() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        // Observe from an hour back, so the events below (placed in the past) are read.
        try await stack.pool.execute("INSERT INTO step_metric_cursors (service, observed_to) VALUES ('kk-entry', now() - interval '1 hour')")
        let officer = Actor(role: .serviceOfficer, id: "siti")
        let start = Date().addingTimeInterval(-1800)
        for (index, entrySeconds) in [400.0, 100.0].enumerated() {  // SOP 3's standard is 5 minutes: one over, one within
            try await stack.pool.withTransaction { tx in
                let phone = "62813000077\(index)"
                let applicant = Actor(role: .applicant, id: RequestStore.applicantRef(for: phone))
                let (record, _) = try await RequestStore.create(
                    id: UUID(), reason: .dataChange, applicantPhone: phone, actor: applicant, at: start, in: tx)
                try await RequestStore.transition(record.id, action: .submit, by: applicant, at: start.addingTimeInterval(60), in: tx)
                try await RequestStore.transition(record.id, action: .open, by: officer, at: start.addingTimeInterval(90), in: tx)
                try await RequestStore.transition(record.id, action: .enter, by: officer, at: start.addingTimeInterval(90 + entrySeconds), in: tx)
                try await RequestStore.transition(
                    record.id, action: .submitPrintRequest, by: officer, at: start.addingTimeInterval(120 + entrySeconds), in: tx)
            }
        }
        let ports = [freePort(), freePort()]
        var replicas: [Daemon] = []
        defer { replicas.forEach { $0.stop() } }
        for port in ports {  // only one replica is elected to run the outbox relay; both are started
            replicas.append(try await Self.entry(stack, metricsPort: port, marker: "kk-entry started"))
        }
        func total(_ line: String) async throws -> Double {
            var sum = 0.0
            for port in ports { sum += Self.sample(line, in: try await get("http://127.0.0.1:\(port)/metrics").1) }
            return sum
        }
        for _ in 0..<100 where try await total("kk_sop_step_seconds_count{step=\"4\"}") < 2 {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(500))  // a second replica counting again would show by now
        #expect(try await total("kk_sop_step_seconds_count{step=\"3\"}") == 2, "two entries, each counted once over both replicas")
        #expect(try await total("kk_sop_step_seconds_count{step=\"4\"}") == 2)
        #expect(try await total("kk_sop_step_seconds_bucket{step=\"3\",le=\"300.0\"}") == 1, "100 s is within 5 minutes, 400 s is not")
        #expect(try await total("kk_sop_step_seconds_bucket{step=\"3\",le=\"600.0\"}") == 2)
        #expect(try await total("kk_sop_step_seconds_sum{step=\"3\"}") == 500)
        #expect(try await total("kk_sop_step_breaches_total{step=\"3\"}") == 1)
        #expect(try await total("kk_sop_step_breaches_total{step=\"4\"}") == 0, "30 s is within SOP 4's minute")
        #expect(try await total("kk_sop_step_seconds_count{step=\"2\"}") == 0, "SOP 2 is kk-intake's to report")
    }

    @Test("kk_consumer_lag counts the messages a service has not processed yet, and returns to 0 when it catches up")
    func consumerLag() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let port = freePort()
        let entry = try await Self.entry(stack, metricsPort: port)
        defer { entry.stop() }
        let lagLine = "kk_consumer_lag{consumer=\"kk-entry\",topic=\"kk.requests.accepted\"}"
        func lag() async throws -> Double { Self.sample(lagLine, in: try await get("http://127.0.0.1:\(port)/metrics").1) }
        func waitForLag(_ condition: (Double) -> Bool) async throws -> Double {
            var value = try await lag()
            for _ in 0..<150 where !condition(value) {
                try await Task.sleep(for: .milliseconds(100))
                value = try await lag()
            }
            return value
        }
        // kk-entry cannot finish a message while its inbox is locked: what arrives waits.
        let blocker = try await PostgresConnection.connect(url: stack.databaseURL, logger: TestStack.logger)
        try await blocker.execute("BEGIN")
        try await blocker.execute("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE")
        let producer = try await KafkaProducer(configuration: KafkaProducerConfiguration(TestStack.kafka()), logger: TestStack.logger)
        for index in 0..<6 {
            let envelope = EventEnvelope(
                payload: RequestAccepted(requestNumber: "KK-20261125-99000\(index)", reason: .damaged, documents: []), requestId: UUID(),
                actor: Actor(role: .serviceOfficer, id: "siti"))
            _ = try await producer.send(
                KafkaProducerMessage(
                    topic: stack.environment["KK_TOPIC_PREFIX"]! + Topic.requestsAccepted.rawValue, key: "lag-\(index)", value: Array(envelope.encoded())))
        }
        await producer.close()
        let behind = try await waitForLag { $0 >= 6 }
        #expect(behind == 6, "six messages published, none processed")
        try await blocker.execute("ROLLBACK")
        await blocker.close()
        let caughtUp = try await waitForLag { $0 == 0 }
        #expect(caughtUp == 0, "processed (here: dead-lettered, the requests are not on record), so nothing is behind")
    }
}
