import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KKDomain
import KKHealth
import KKMessaging
import KKStore
import KKTesting
import Logging
import Postgres
import Testing

@testable import kk_gateway

/// kk-gateway's webhook routes in this process (HummingbirdTesting, no socket), storing
/// into the real database's webhook inbox, whose worker (`drain`, in the test's task)
/// records each batch and downloads from a local Graph API stand-in: what Meta may
/// send, fast enough for `make fuzz`'s million bodies (`KK_FUZZ_ROUTER_BODIES`; `make test`
/// sends a few thousand). The gateway as a process is fuzzed in `BadWebhookInputTests`.
@Suite("The webhook routes in process: every message type, fuzzed")
struct WebhookRouteTests {
    static let bodies = TestStack.setting("KK_FUZZ_ROUTER_BODIES", 3000)
    /// Bodies sent unsigned between two counts of what the webhook stores.
    static let batch = 200
    /// Signed bodies posted, and stored bodies recorded, at once.
    static let parallel = 4
    static let appSecret = IntakeStack.appSecret

    /// The stand-in's files: each type the gateway keeps, one it refuses by its bytes, one whose digest lies.
    static let files: [String: (bytes: [UInt8], sha256: String?)] = [
        "jpeg": ([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 2000), nil),
        "png": ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 2000), nil),
        "pdf": (Fuzz.pdf(size: 3000), nil),
        "svg": (Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8), nil),
        "lying-digest": ([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 9, count: 500), String(repeating: "0", count: 64)),
    ]

    struct Gateway {
        let router: Router<BasicRequestContext>
        /// Records what the router stored, in the test's task (`drain`).
        let worker: WebhookInboxWorker
        let pool: PostgresPool
        let graph: GraphStandIn
        /// Numbers that agreed to the privacy notice: their photos and files are downloaded.
        let agreed: [String]
    }

    static func gateway() async throws -> Gateway {
        let graph = try await GraphStandIn.start(files: files)
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 4, logger: TestStack.logger)
        let configuration = try GatewayConfiguration(environment: [
            "KK_WA_GRAPH_URL": "http://127.0.0.1:\(graph.port)", "KK_WA_PHONE_NUMBER_ID": "1234567890", "KK_WA_TOKEN": GraphStandIn.token,
            "KK_WA_APP_SECRET": appSecret, "KK_WA_VERIFY_TOKEN": "verifikasi", "KK_WA_MEDIA_LIMIT_BYTES": "1048576",
            "KK_WA_MESSAGES_PER_MINUTE": "200", "KK_WA_INBOX_RETRY_MS": "20",
        ])
        let agreed = (0..<8).map { "6285900000\(100 + $0)" }
        try await pool.withTransaction { tx in
            for phone in agreed { try await ApplicantConsents.agree(RequestStore.applicantRef(for: phone), noticeVersion: 1, in: tx) }
        }
        // Quiet over a million bodies (the route logs each one it refuses), but a body the worker
        // could not record at once says why, a line each.
        var logger = Logger(label: "kk-gateway-in-process")
        logger.logLevel = .critical
        var workerLogger = Logger(label: "kk-gateway-in-process")
        workerLogger.logLevel = .warning
        let recorder = InboundRecorder(configuration: configuration, pool: pool, logger: logger)
        let inbox = WebhookInbox(pool: pool)
        let doorbell = Doorbell()
        let worker = WebhookInboxWorker(
            inbox: inbox, recorder: recorder, doorbell: doorbell, settings: configuration.inbox, liveness: Liveness(), logger: workerLogger)
        return Gateway(
            router: WebhookRoutes.router(configuration: configuration, inbox: inbox, doorbell: doorbell, logger: logger), worker: worker, pool: pool,
            graph: graph, agreed: agreed)
    }

    static func post(_ client: some TestClientProtocol, _ body: [UInt8], signature: String?) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signature { headers[HTTPField.Name("X-Hub-Signature-256")!] = signature }
        return try await client.execute(uri: "/webhook", method: .post, headers: headers, body: ByteBuffer(bytes: body)).status
    }

    @Test(
        "fuzzed bodies of every message type (photos and files with real, refused and impossible media ids, statuses, odd numbers and Unicode): unsigned is 401 and stores nothing; signed is 200 or 400, never 5xx, while the database is up"
    )
    func fuzz() async throws {
        let seed = Fuzz.seed()
        print("WebhookRouteTests.fuzz: seed \(seed) (replay with KK_FUZZ_SEED=\(seed)), \(Self.bodies) bodies")
        let gateway = try await Self.gateway()
        defer { gateway.graph.task.cancel() }
        let (pool, agreed, media, worker) = (gateway.pool, gateway.agreed, Array(Self.files.keys).sorted(), gateway.worker)
        let (tally, unsignedStored, recorded) = try await Application(router: gateway.router).test(.router) { client in
            var rng = SplitMix64(seed: seed)
            var tally: [Int: Int] = [:]
            var unsignedStored = 0
            var recorded = 0
            // In batches: every body of a batch unsigned (nothing may be stored), then each signed.
            for start in stride(from: 0, to: Self.bodies, by: Self.batch) {
                let samples = (start..<min(start + Self.batch, Self.bodies)).map { n in (n, Fuzz.body(n, using: &rng, phones: agreed, media: media)) }
                func replay(_ n: Int, _ sample: Fuzz.Sample) -> String {
                    "seed \(seed), body #\(n) (\(sample.label), \(sample.bytes.count) bytes): \(Fuzz.preview(sample.bytes))"
                }
                let stored = try await Records.webhookRows(pool)
                for (n, sample) in samples {
                    let bad = Fuzz.badSignature(for: sample.bytes, using: &rng)
                    let refused = try await Self.post(client, sample.bytes, signature: bad.header).code
                    let overLimit = sample.bytes.count > Fuzz.maxWebhookBody
                    #expect(refused == 401 || (overLimit && refused == 413), "signature \(bad.label) got \(refused); \(replay(n, sample))")
                }
                if try await Records.webhookRows(pool) != stored {
                    unsignedStored += 1
                    Issue.record("an unsigned webhook stored something: one of bodies #\(start)-#\(start + samples.count - 1), seed \(seed)")
                }
                // Signed, a few at once (as Meta sends).
                let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                    var answers: [Int: Int] = [:]
                    for (index, (_, sample)) in samples.enumerated() {
                        if index >= Self.parallel, let (answered, code) = try await group.next() { answers[answered] = code }
                        group.addTask { (index, try await Self.post(client, sample.bytes, signature: Webhook.sign(sample.bytes)).code) }
                    }
                    for try await (answered, code) in group { answers[answered] = code }
                    return answers
                }
                for (index, (n, sample)) in samples.enumerated() {
                    let status = answers[index] ?? -1
                    tally[status, default: 0] += 1
                    let acceptable: Set<Int> = sample.bytes.count > Fuzz.maxWebhookBody ? [413] : [200, 400]
                    #expect(acceptable.contains(status), "signed body got \(status); \(replay(n, sample))")
                }
                // What the signed batch stored is recorded; nothing stays waiting or dies.
                recorded += try await worker.drain(workers: Self.parallel)
                var depth = try await WebhookInbox(pool: pool).depth()
                // A body postponed by a passing failure (on a starved machine, a timeout) is due again after its
                // backoff (20 ms here, doubling): it is recorded then, or after its last attempt it is dead.
                let deadline = ContinuousClock.now + .seconds(90)
                while depth.waiting > 0 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    recorded += try await worker.drain(workers: Self.parallel)
                    depth = try await WebhookInbox(pool: pool).depth()
                }
                #expect(depth.waiting == 0 && depth.dead == 0, "bodies #\(start)-#\(start + samples.count - 1) left \(depth) in the inbox; seed \(seed)")
            }
            return (tally, unsignedStored, recorded)
        }
        print("WebhookRouteTests.fuzz: seed \(seed), \(Self.bodies) bodies; signed answers \(tally.sorted { $0.key < $1.key })")
        #expect(recorded > 0 && recorded <= tally[200, default: 0], "\(recorded) bodies recorded for \(tally[200, default: 0]) accepted")
        #expect(unsignedStored == 0)
        // The fuzz reached what it was written to reach: files downloaded and kept, files refused by their bytes or digest.
        let kinds = try await gateway.pool.query("SELECT DISTINCT kind FROM wa_inbound").rows.map { try $0.decode("kind", as: String.self) }
        if Self.bodies >= 1000 {
            for kind in ["text", "image", "document", "unsupported", "media_unavailable", "awaiting_consent"] {
                #expect(kinds.contains(kind), "no message of kind \(kind) was recorded (seed \(seed)): \(kinds)")
            }
        }
        await gateway.pool.close()
    }
}
