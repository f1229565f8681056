import Crypto
import Foundation
import Hex
import KKDomain
import KKHTTP

/// Plays applicants on WhatsApp as Meta's servers would deliver them: signed
/// webhooks to the gateway, photos put in the Graph API sandbox first. A post
/// that fails (the gateway down, a 5xx) is retried with the same message id,
/// as Meta retries, so the gateway's dedupe sees a retry, not a new message.
public struct ApplicantPlayer: Sendable {
    public let gatewayURL: URL
    public let sandboxURL: URL
    public let appSecret: String
    public let phoneNumberID: String
    /// How long a message is retried before the run gives up on it.
    public var patience: Duration = .seconds(300)
    /// Returns when the office has recorded `phone`'s agreement to the privacy notice: the
    /// gateway downloads no photo before it, and a player sends faster than intake answers.
    public var agreementRecorded: @Sendable (_ phone: String) async throws -> Void = { _ in }

    public init(gatewayURL: URL, sandboxURL: URL, appSecret: String, phoneNumberID: String) {
        self.gatewayURL = gatewayURL
        self.sandboxURL = sandboxURL
        self.appSecret = appSecret
        self.phoneNumberID = phoneNumberID
    }

    /// The whole of SOP 1 for one applicant: greeting, agreement to the privacy
    /// notice, the service chosen (a data change is a birth), who is asking
    /// (`identity`: "NIK ... KK ..."), one photo per requirement.
    public func play(phone: String, reason: RequestReason, identity: String) async throws {
        try await text("halo", from: phone)
        try await text("setuju", from: phone)
        try await agreementRecorded(phone)
        try await text(String((RequestReason.allCases.firstIndex(of: reason) ?? 0) + 1), from: phone)
        let event: ChangeEvent? = reason == .dataChange ? .birth : nil
        if let event { try await text(String(event.menuNumber), from: phone) }
        try await text(identity, from: phone)
        for _ in Requirements.required(for: reason, event: event) { try await photo(from: phone) }
    }

    public func text(_ body: String, from phone: String) async throws {
        let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        try await deliver(message(id: "wamid.load.\(UUID().uuidString)", from: phone, #""type":"text","text":{"body":"\#(escaped)"}"#))
    }

    public func photo(from phone: String) async throws {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<20_000).map { _ in UInt8.random(in: 0...255) }
        let (mediaID, sha256) = try await withRetries("upload the photo to the sandbox") { () async throws -> (String, String)? in
            let answer = try await HTTPExchange.send(
                "POST", sandboxURL.appendingPathComponent("_sandbox/media"), headers: [("Content-Type", "image/jpeg")], body: bytes)
            guard answer.status == 200,
                let object = try JSONSerialization.jsonObject(with: answer.data) as? [String: String], let id = object["id"], let sha = object["sha256"]
            else { return nil }
            return (id, sha)
        }
        try await deliver(
            message(
                id: "wamid.load.\(UUID().uuidString)", from: phone,
                #""type":"image","image":{"id":"\#(mediaID)","mime_type":"image/jpeg","sha256":"\#(sha256)","caption":"dokumen"}"#))
    }

    /// Posts a signed webhook until the gateway answers 200.
    func deliver(_ body: String) async throws {
        let signature =
            "sha256="
            + HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(appSecret.utf8)))
            .hexEncoded
        _ = try await withRetries("deliver a webhook to the gateway") { () async throws -> Bool? in
            let status = try await HTTPExchange.send(
                "POST", gatewayURL, headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", signature)], body: Array(body.utf8)
            ).status
            if status == 200 { return true }
            if (400..<500).contains(status) { throw LoadError.refused(status: status, body: body) }
            return nil
        }
    }

    func withRetries<T>(_ what: String, _ attempt: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + patience
        var delay = Duration.milliseconds(200)
        while true {
            do {
                if let value = try await attempt() { return value }
            } catch let error as LoadError {
                throw error
            } catch {
                // Connection refused or reset: the gateway or sandbox is restarting.
            }
            if ContinuousClock.now > deadline { throw LoadError.gaveUp(what) }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(3))
        }
    }

    func message(id: String, from phone: String, _ content: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"62274367509","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"Pemohon Uji Beban"},"wa_id":"\#(phone)"}],"messages":[{"from":"\#(phone)","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))",\#(content)}]}}]}]}"#
    }
}

public enum LoadError: Error, CustomStringConvertible {
    case refused(status: Int, body: String)
    case gaveUp(String)
    case notArchived(pending: [String: Int], queues: [String: Int], lastFailedCommands: [String])

    public var description: String {
        switch self {
        case let .refused(status, body): "the gateway refused a webhook with \(status): \(body.prefix(300))"
        case let .gaveUp(what): "gave up trying to \(what)"
        case let .notArchived(pending, queues, failed):
            "requests not archived in time, by state: \(pending); officers' queues: \(queues); last failed officer commands: \(failed)"
        }
    }
}
