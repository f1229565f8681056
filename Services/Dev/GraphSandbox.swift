import ArgumentParser
import Crypto
import Foundation
import Hex
import Hummingbird
import KKHTTP
import KKOfficerCLI
import Logging
import ServiceLifecycle

/// `kk-dev sandbox`: a local HTTP server in the place of Meta's Graph API,
/// for demos, manual trials and tests (Meta's servers are out of reach here).
/// It serves media that `simulate` uploads, accepts the messages and documents
/// the gateway sends, prints them as the applicant would read them, and lets
/// callers read them back or make the next sends fail.
struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local stand-in for the WhatsApp Graph API (media, messages) for demos and trials.",
        discussion: """
            Point the gateway at it with KK_WA_GRAPH_URL=http://127.0.0.1:<port>. Control endpoints:
            POST /_sandbox/media (raw bytes, Content-Type) -> {"id","sha256"}; GET /_sandbox/messages?after=N;
            POST /_sandbox/fail?status=429&count=2 makes the next sends fail; GET /_sandbox/chaos says what --chaos-percent injected; POST /_sandbox/hold?count=1&type=document makes the
            next send (of that type) be taken (listed among the messages) but never answered, as when the gateway dies mid-send. With --receipts-to, it also plays
            the applicant's phone: a "delivered" receipt for every message, posted to that webhook URL and signed
            with KK_WA_APP_SECRET, as WhatsApp does.
            """)
    @Option(help: "Port to listen on.") var port = 8090
    @Option(help: "Post a signed 'delivered' receipt for every message to this webhook URL (e.g. http://127.0.0.1:8080/webhook).")
    var receiptsTo: String?
    @Option(help: "How long the applicant's phone takes to report a message delivered, in milliseconds.")
    var receiptDelayMs = 300
    @Option(help: "The longest pause between tries of a receipt the webhook did not take, in milliseconds (the pause doubles from 500 up to this).")
    var receiptRetryMaxMs = 15_000
    @Option(help: "Bearer token the gateway must send (default: KK_WA_TOKEN).") var token: String?
    @Option(help: "Answer about this percentage of Graph API calls with 429, 500, 503, slowly, or not in time (0: never).")
    var chaosPercent: Double = 0
    @Option(help: "The seed that chooses which calls fail and how (default: random, printed).") var chaosSeed: UInt64?
    @Option(help: "How long a slow answer takes, in milliseconds.") var chaosSlowMs = 1000
    @Option(help: "How long a call left unanswered hangs before a 504, in milliseconds (set it past the gateway's KK_WA_HTTP_TIMEOUT_SECONDS).")
    var chaosHangMs = 35_000

    func validate() throws {
        guard (0...100).contains(chaosPercent) else { throw ValidationError("--chaos-percent must be between 0 and 100.") }
        guard chaosSlowMs >= 0, chaosHangMs >= 0 else { throw ValidationError("--chaos-slow-ms and --chaos-hang-ms must be 0 or more.") }
    }

    func run() async throws {
        let token = token ?? ProcessInfo.processInfo.environment["KK_WA_TOKEN"] ?? "sandbox-token"
        let logger = Logger(label: "kk-graph-sandbox")
        let seed = chaosSeed ?? UInt64.random(in: 1...UInt64.max)
        let state = SandboxState(
            chaos: SandboxChaos(percent: chaosPercent, seed: seed, slow: .milliseconds(chaosSlowMs), hang: .milliseconds(chaosHangMs)))
        if chaosPercent > 0 { print("Graph API sandbox: chaos on \(chaosPercent) % of calls, seed \(seed) (repeat with --chaos-seed \(seed))") }
        let app = Application(
            router: SandboxRoutes.router(
                state: state, token: token, port: port,
                receipts: try receiptsTo.map { url in
                    guard let secret = ProcessInfo.processInfo.environment["KK_WA_APP_SECRET"], !secret.isEmpty else {
                        throw CLIFailure("--receipts-to needs KK_WA_APP_SECRET, to sign the receipts as Meta would.")
                    }
                    guard receiptDelayMs >= 0 else { throw CLIFailure("--receipt-delay-ms must be 0 or more.") }
                    guard receiptRetryMaxMs >= 1 else { throw CLIFailure("--receipt-retry-max-ms must be 1 or more.") }
                    return SandboxReceipts(
                        webhook: url, appSecret: secret, delay: .milliseconds(receiptDelayMs), longestPause: .milliseconds(receiptRetryMaxMs))
                }),
            configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        print("Graph API sandbox on http://127.0.0.1:\(port)")
        try await app.runService()
    }
}

/// What the sandbox holds: media by id, the messages sent, failures to inject.
actor SandboxState {
    struct StoredMedia {
        let bytes: [UInt8]
        let contentType: String
        let fileName: String?
    }

    private(set) var media: [String: StoredMedia] = [:]
    /// Part of every id, so ids never repeat across runs (as WhatsApp's never do):
    /// the database remembers ids of earlier runs.
    private let run = UUID().uuidString.prefix(8).lowercased()
    /// Each message as JSON, with `seq` and `wa_message_id` added.
    private(set) var messages: [Data] = []
    private var failures: [Int] = []
    /// Sends to take but never answer: how many, and of which message type (nil: any).
    private var holds: (count: Int, type: String?) = (0, nil)
    private var counter = 0
    private var chaos: SandboxChaos

    init(chaos: SandboxChaos = SandboxChaos(percent: 0, seed: 1, slow: .zero, hang: .zero)) {
        self.chaos = chaos
    }

    /// The injected fault for the next Graph API call, if any, with how long to pause.
    func drawFault() -> (draw: SandboxChaos.Draw, pause: Duration)? {
        chaos.draw().map { ($0, $0.fault == .slow ? chaos.slow : $0.fault == .timeout ? chaos.hang : .zero) }
    }

    /// What `--chaos-percent` injected, as JSON.
    var chaosSummary: Data { (try? JSONSerialization.data(withJSONObject: chaos.summary, options: [.sortedKeys])) ?? Data("{}".utf8) }

    func store(_ item: StoredMedia) -> String {
        counter += 1
        let id = "sandbox-media-\(run)-\(counter)"
        media[id] = item
        return id
    }

    /// Records a send (or returns the status it must fail with); `held`: take it but never answer.
    func send(_ body: Data) -> (status: Int, id: String, held: Bool) {
        if !failures.isEmpty { return (failures.removeFirst(), "", false) }
        guard var record = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return (400, "", false) }
        counter += 1
        let id = "wamid.sandbox-\(run)-\(counter)"
        record["seq"] = messages.count + 1
        record["wa_message_id"] = id
        // When the message was handed to the Graph API, for `kk-bench reply`: the same clock as the caller's.
        record["received_at_ms"] = Int((Date().timeIntervalSince1970 * 1000).rounded())
        messages.append((try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])) ?? body)
        let held = holds.count > 0 && (holds.type == nil || holds.type == record["type"] as? String)
        if held { holds.count -= 1 }
        return (200, id, held)
    }

    func failNext(status: Int, count: Int) { failures += Array(repeating: status, count: count) }
    func holdNext(count: Int, type: String?) { holds = (count, type) }

    /// The messages after the first `after`, as one JSON array.
    func messagesJSON(after: Int) -> Data {
        Data("[".utf8) + messages.dropFirst(after).joined(separator: Data(",".utf8)) + Data("]".utf8)
    }
}

enum SandboxRoutes {
    static func router(state: SandboxState, token: String, port: Int, receipts: SandboxReceipts? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func authorized(_ request: Request) -> Bool { request.headers[.authorization] == "Bearer \(token)" }

        router.post("_sandbox/media") { request, _ -> Response in
            let bytes = Array(try await request.body.collect(upTo: 64 * 1024 * 1024).readableBytesView)
            let type = request.headers[.contentType] ?? "application/octet-stream"
            let id = await state.store(.init(bytes: bytes, contentType: type, fileName: request.uri.queryParameters.get("filename")))
            return json(["id": id, "sha256": hex(bytes)])
        }
        router.get("_sandbox/messages") { request, _ -> Response in
            let after = Int(request.uri.queryParameters.get("after") ?? "") ?? 0
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: await state.messagesJSON(after: after))))
        }
        router.post("_sandbox/fail") { request, _ -> Response in
            let query = request.uri.queryParameters
            await state.failNext(status: Int(query.get("status") ?? "") ?? 500, count: Int(query.get("count") ?? "") ?? 1)
            return json(["ok": true])
        }
        router.post("_sandbox/hold") { request, _ -> Response in
            let query = request.uri.queryParameters
            await state.holdNext(count: Int(query.get("count") ?? "") ?? 1, type: query.get("type").map { String($0) })
            return json(["ok": true])
        }
        /// Meta's own failures on some calls (`--chaos-percent`): an error answer, or nil after a
        /// slow pause (the call is then answered as usual). `taken`: a send cut off was taken first.
        @Sendable func injected(taking take: (() async -> Void)? = nil) async -> Response? {
            guard let (draw, pause) = await state.drawFault() else { return nil }
            switch draw.fault {
            case .slow:
                try? await Task.sleep(for: pause)
                return nil
            case .timeout:
                if draw.taken, let take { await take() }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                return Response(status: .gatewayTimeout)
            case .tooManyRequests, .serverError, .unavailable:
                let status = Int(draw.fault.rawValue)!
                return json(["error": ["message": "sandbox: injected \(status)", "code": status == 429 ? 130429 : 1]], status: .init(code: status))
            }
        }

        router.get("_sandbox/chaos") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: await state.chaosSummary)))
        }
        router.get(":id") { request, context -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            if let fault = await injected() { return fault }
            let id = context.parameters.get("id") ?? ""
            guard let item = await state.media[id] else { return json(["error": ["message": "unknown media \(id)"]], status: .notFound) }
            return json([
                "url": "http://127.0.0.1:\(port)/_sandbox/files/\(id)", "mime_type": item.contentType, "sha256": hex(item.bytes),
                "file_size": item.bytes.count, "id": id, "messaging_product": "whatsapp",
            ])
        }
        router.get("_sandbox/files/:id") { request, context -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            if let fault = await injected() { return fault }
            guard let item = await state.media[context.parameters.get("id") ?? ""] else { return Response(status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: item.contentType], body: .init(byteBuffer: ByteBuffer(bytes: item.bytes)))
        }
        router.post(":id/messages") { request, _ -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            let body = Data(try await request.body.collect(upTo: 1024 * 1024).readableBytesView)
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], object["to"] is String else {
                return json(["error": ["message": "(#100) Invalid parameter", "code": 100]], status: .badRequest)
            }
            // Taken and then not answered in time: recorded (and delivered to the phone) as a sent message.
            if let fault = await injected(taking: {
                let (status, id, _) = await state.send(body)
                if status == 200, let receipts, let to = object["to"] as? String {
                    receipts.deliver(id, to: to, callbackData: object["biz_opaque_callback_data"] as? String)
                }
            }) {
                return fault
            }
            let (status, id, held) = await state.send(body)
            if held {
                // Taken, as Meta may take a message whose answer never reaches the gateway
                // (until the sandbox itself is asked to stop).
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
                return Response(status: .gatewayTimeout)
            }
            guard status == 200 else {
                return json(["error": ["message": "sandbox: injected failure", "code": status == 429 ? 130429 : 1]], status: .init(code: status))
            }
            // Unbuffered, so a log file shows each message as it is sent.
            FileHandle.standardOutput.write(Data((SandboxRoutes.describe(object) + "\n").utf8))
            if let receipts, let to = object["to"] as? String { receipts.deliver(id, to: to, callbackData: object["biz_opaque_callback_data"] as? String) }
            return json(["messaging_product": "whatsapp", "contacts": [["input": object["to"]!, "wa_id": object["to"]!]], "messages": [["id": id]]])
        }
        router.post(":id/media") { request, _ -> Response in
            guard authorized(request) else { return Response(status: .unauthorized) }
            if let fault = await injected() { return fault }
            let type = request.headers[.contentType] ?? ""
            let body = Array(try await request.body.collect(upTo: 100 * 1024 * 1024).readableBytesView)
            guard let part = MultipartFile.parse(body: body, contentType: type) else {
                return json(["error": ["message": "(#100) The parameter file is required."]], status: .badRequest)
            }
            let id = await state.store(.init(bytes: part.bytes, contentType: part.contentType, fileName: part.fileName))
            return json(["id": id])
        }
        return router
    }

    /// One line per message, as the applicant would see it.
    static func describe(_ body: [String: Any]) -> String {
        let to = body["to"] as? String ?? "?"
        switch body["type"] as? String {
        case "text":
            return "→ \(to): \((body["text"] as? [String: Any])?["body"] as? String ?? "")"
        case "document":
            let document = body["document"] as? [String: Any] ?? [:]
            return "→ \(to): [dokumen \(document["filename"] as? String ?? "?")] \(document["caption"] as? String ?? "")"
        case "template":
            let template = body["template"] as? [String: Any] ?? [:]
            return "→ \(to): [template \(template["name"] as? String ?? "?")] \(templateText(body) ?? "")"
        default:
            return "→ \(to): \(body)"
        }
    }

    /// The body parameter of a template message.
    static func templateText(_ body: [String: Any]) -> String? {
        let components = (body["template"] as? [String: Any])?["components"] as? [[String: Any]] ?? []
        let parameters = components.first { $0["type"] as? String == "body" }?["parameters"] as? [[String: Any]]
        return parameters?.first?["text"] as? String
    }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).hexEncoded }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The `file` part of a multipart/form-data upload.
struct MultipartFile {
    let bytes: [UInt8]
    let contentType: String
    let fileName: String?

    static func parse(body: [UInt8], contentType: String) -> MultipartFile? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = Array(("--" + contentType[range.upperBound...].trimmingCharacters(in: .init(charactersIn: "\""))).utf8)
        let separator = Array("\r\n\r\n".utf8)
        var start = 0
        while let open = find(boundary, in: body, from: start) {
            let headerStart = open + boundary.count + 2
            guard let headerEnd = find(separator, in: body, from: headerStart) else { return nil }
            let headers = String(decoding: body[headerStart..<headerEnd], as: UTF8.self)
            let dataStart = headerEnd + separator.count
            guard let next = find(Array("\r\n".utf8) + boundary, in: body, from: dataStart) else { return nil }
            if headers.contains("name=\"file\"") {
                let type =
                    headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
                    .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) } ?? "application/octet-stream"
                let name = headers.range(of: "filename=\"").map { r in String(headers[r.upperBound...].prefix { $0 != "\"" }) }
                return MultipartFile(bytes: Array(body[dataStart..<next]), contentType: type, fileName: name)
            }
            start = next + 2
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// The applicant's phone in the sandbox: a signed "delivered" status webhook
/// for each message, shortly after it was sent. Like Meta, it retries with a
/// growing pause (up to `longestPause`) while the webhook does not answer 200
/// (the gateway is restarting), for up to ten minutes.
struct SandboxReceipts: Sendable {
    let webhook: String
    let appSecret: String
    let delay: Duration
    let longestPause: Duration

    /// `callbackData`: the `biz_opaque_callback_data` the message was sent with, echoed as WhatsApp does.
    func deliver(_ messageID: String, to phone: String, callbackData: String?) {
        var status: [String: Any] = ["id": messageID, "status": "delivered", "timestamp": String(Int(Date().timeIntervalSince1970)), "recipient_id": phone]
        status["biz_opaque_callback_data"] = callbackData
        let envelope: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [
                [
                    "id": "SANDBOX",
                    "changes": [
                        [
                            "field": "messages",
                            "value": [
                                "messaging_product": "whatsapp", "metadata": ["phone_number_id": "sandbox"], "statuses": [status],
                            ],
                        ]
                    ],
                ]
            ],
        ]
        let body = String(decoding: (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            guard let url = URL(string: webhook) else { return }
            let headers = [("Content-Type", "application/json"), ("X-Hub-Signature-256", WebhookSignature.sign(Array(body.utf8), appSecret: appSecret))]
            var pause = min(Duration.milliseconds(500), longestPause)
            let deadline = ContinuousClock.now + .seconds(600)
            while ContinuousClock.now < deadline {
                if let answer = try? await HTTPExchange.send("POST", url, headers: headers, body: Array(body.utf8)), answer.status == 200 { return }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, longestPause)
            }
        }
    }
}
