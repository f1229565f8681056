import ArgumentParser
import Crypto
import Foundation
import KKHTTP
import KKOfficerCLI

/// `kk-dev simulate`: act as an applicant from a terminal. Texts and
/// photos go to a running gateway as correctly signed webhooks in Meta's
/// format; photos are first put in the Graph API sandbox, where the gateway
/// downloads them as it would from Meta. Replies are read back from the sandbox.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Act as an applicant: send texts and photos to a running gateway, and see the replies.",
        discussion: """
            Interactive: type a message and press Enter; `/foto FILE` sends a photo, `/pdf FILE` a PDF, `/keluar` quits.
            One-shot: --text, --photo and --pdf (in that order) and then exit. Needs KK_WA_APP_SECRET (the secret the
            gateway checks) and a gateway whose KK_WA_GRAPH_URL is the sandbox (`kk-dev sandbox`).
            """)

    @Option(help: "The applicant's WhatsApp number (international, digits only).") var from = "6281234567001"
    @Option(help: "The applicant's WhatsApp profile name.") var name = "Pemohon Uji"
    @Option(help: "The gateway's webhook URL.") var gateway = "http://127.0.0.1:8080/webhook"
    @Option(help: "The Graph API sandbox URL.") var sandbox = "http://127.0.0.1:8090"
    @Option(help: "Send this text and exit.") var text: [String] = []
    @Option(help: "Send this image file (JPG/PNG) and exit.") var photo: [String] = []
    @Option(help: "Send this PDF file and exit.") var pdf: [String] = []
    @Option(help: "Seconds to wait for replies after each message.") var wait: Double = 4

    func run() async throws {
        guard let secret = ProcessInfo.processInfo.environment["KK_WA_APP_SECRET"], !secret.isEmpty else {
            throw CLIFailure("KK_WA_APP_SECRET is not set: use the app secret the gateway was started with (see `bash deploy/local/stack.sh env`).")
        }
        let client = SimulatedApplicant(phone: from, name: name, gateway: gateway, sandbox: sandbox, appSecret: secret)
        var seen = try await client.replyCount()
        let oneShot = !(text.isEmpty && photo.isEmpty && pdf.isEmpty)
        if oneShot {
            for line in text {
                try await client.sendText(line)
                seen = try await show(client, after: seen)
            }
            for file in photo {
                try await client.sendFile(file, type: "image")
                seen = try await show(client, after: seen)
            }
            for file in pdf {
                try await client.sendFile(file, type: "document")
                seen = try await show(client, after: seen)
            }
            return
        }
        print("Anda adalah pemohon \(from). Ketik pesan; /foto FILE, /pdf FILE, /keluar.")
        while let line = readLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "/keluar" { break }
            if trimmed.hasPrefix("/foto ") {
                try await client.sendFile(String(trimmed.dropFirst(6)), type: "image")
            } else if trimmed.hasPrefix("/pdf ") {
                try await client.sendFile(String(trimmed.dropFirst(5)), type: "document")
            } else if !trimmed.isEmpty {
                try await client.sendText(trimmed)
            } else {
                continue
            }
            seen = try await show(client, after: seen)
        }
    }

    /// Prints the replies that arrive within `wait` seconds.
    private func show(_ client: SimulatedApplicant, after seen: Int) async throws -> Int {
        var seen = seen
        let deadline = Date().addingTimeInterval(wait)
        var quietSince: Date?
        while Date() < deadline {
            let replies = try await client.replies(after: seen)
            seen += replies.count
            for reply in replies { print("\n[WhatsApp dari Disdukcapil]\n\(reply)") }
            if !replies.isEmpty { quietSince = Date() }
            if let quiet = quietSince, Date().timeIntervalSince(quiet) > 1 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return seen
    }
}

/// The HTTP side of a simulated applicant.
struct SimulatedApplicant {
    let phone: String
    let name: String
    let gateway: String
    let sandbox: String
    let appSecret: String

    func sendText(_ text: String) async throws {
        try await post(message: ["type": "text", "text": ["body": text]])
    }

    func sendFile(_ path: String, type: String) async throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("Cannot read \(path).")
        }
        let contentType = path.lowercased().hasSuffix(".pdf") ? "application/pdf" : path.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
        let answer = try await HTTPExchange.send(
            "POST", URL(string: "\(sandbox)/_sandbox/media?filename=\(URL(fileURLWithPath: path).lastPathComponent)")!,
            headers: [("Content-Type", contentType)], body: Array(data))
        guard let object = try JSONSerialization.jsonObject(with: answer.data) as? [String: Any], let id = object["id"] as? String,
            let sha = object["sha256"] as? String
        else { throw CLIFailure("The sandbox at \(sandbox) did not take the file; is `kk-dev sandbox` running?") }
        var media: [String: Any] = ["id": id, "mime_type": contentType, "sha256": sha]
        if type == "document" { media["filename"] = URL(fileURLWithPath: path).lastPathComponent }
        try await post(message: ["type": type, type: media])
    }

    func replyCount() async throws -> Int { try await allReplies().count }

    func replies(after: Int) async throws -> [String] { Array(try await allReplies().dropFirst(after)) }

    /// Every message the sandbox received for this phone, as text.
    private func allReplies() async throws -> [String] {
        let answer = try await HTTPExchange.send("GET", URL(string: "\(sandbox)/_sandbox/messages")!)
        let all = (try? JSONSerialization.jsonObject(with: answer.data) as? [[String: Any]]) ?? []
        return all.filter { $0["to"] as? String == phone }.map { message in
            switch message["type"] as? String {
            case "text": (message["text"] as? [String: Any])?["body"] as? String ?? ""
            case "document":
                "[PDF \((message["document"] as? [String: Any])?["filename"] as? String ?? "")] "
                    + ((message["document"] as? [String: Any])?["caption"] as? String ?? "")
            default: SandboxRoutes.templateText(message) ?? "\(message)"
            }
        }
    }

    private func post(message content: [String: Any]) async throws {
        var message = content
        message["from"] = phone
        message["id"] = "wamid.sim-\(UUID().uuidString.lowercased())"
        message["timestamp"] = String(Int(Date().timeIntervalSince1970))
        let payload: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [
                [
                    "id": "SANDBOX-WABA",
                    "changes": [
                        [
                            "field": "messages",
                            "value": [
                                "messaging_product": "whatsapp",
                                "metadata": ["display_phone_number": "62274000000", "phone_number_id": "sandbox"],
                                "contacts": [["profile": ["name": name], "wa_id": phone]],
                                "messages": [message],
                            ] as [String: Any],
                        ]
                    ],
                ] as [String: Any]
            ],
        ]
        let body = try JSONSerialization.data(withJSONObject: payload)
        let answer = try await HTTPExchange.send(
            "POST", URL(string: gateway)!,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", WebhookSignature.sign(Array(body), appSecret: appSecret))],
            body: Array(body))
        guard answer.status == 200 else {
            throw CLIFailure("The gateway at \(gateway) answered \(answer.status): \(answer.text())")
        }
    }
}
