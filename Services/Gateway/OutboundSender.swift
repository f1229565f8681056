import Foundation
import KKDomain
import KKRuntime
import Logging
import Postgres

/// Consumes wa.outbound and sends through the Graph API: free-form inside
/// WhatsApp's 24-hour customer-service window, an approved template outside it.
/// 429 and 5xx are retried with backoff; when the tries run out the message
/// goes to kk.deadletter with the reason.
struct OutboundSender: MessageHandler {
    let configuration: GatewayConfiguration
    let graph: GraphAPIClient
    let logger: Logger

    static let window: TimeInterval = 24 * 3600

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let outbound = try message.envelope.decode(WhatsAppOutbound.self)
        let messageID = message.envelope.id.uuidString.lowercased()
        if try await !tx.query("SELECT 1 AS sent FROM wa_outbound WHERE message_id = \(messageID)").rows.isEmpty { return [] }
        let contacts = try await tx.query(
            "SELECT phone, last_inbound_at FROM wa_contacts WHERE applicant_ref = \(outbound.applicantRef)").rows
        guard let contact = contacts.first else {
            throw MessageRejected("no WhatsApp contact for applicant \(outbound.applicantRef): nothing was ever received from them")
        }
        let phone = try contact.decode("phone", as: String.self)
        let lastInbound = try contact.decode("last_inbound_at", as: Date?.self)
        let insideWindow = lastInbound.map { Date().timeIntervalSince($0) < Self.window } ?? false

        var body: [String: Any] = ["to": phone, "recipient_type": "individual"]
        switch (outbound.kind, insideWindow) {
        case (.text, true):
            body["type"] = "text"
            body["text"] = ["body": outbound.text, "preview_url": false]
        case (.text, false):
            body["type"] = "template"
            body["template"] = template(configuration.textTemplate, header: nil, text: outbound.text)
        case (.document, _):
            guard let mediaID = outbound.mediaId else { throw MessageRejected("a document message without a media id") }
            let rows = try await tx.query(
                """
                SELECT m.bytes, m.content_type, m.request_id, r.applicant_ref FROM media m LEFT JOIN requests r ON r.id = m.request_id
                WHERE m.id = \(mediaID) AND m.bytes IS NOT NULL
                """
            ).rows
            guard let row = rows.first else { throw MessageRejected("document \(mediaID) is not in the media store") }
            try Self.checkOwner(of: mediaID, row: row, outbound: outbound)
            let fileName = outbound.fileName ?? "dokumen.pdf"
            let uploaded = try await withRetries("upload \(fileName)") {
                try await graph.uploadMedia(
                    phoneNumberID: configuration.phoneNumberID, bytes: try row.decode("bytes", as: [UInt8].self),
                    contentType: try row.decode("content_type", as: String.self), fileName: fileName)
            }
            let document: [String: Any] = ["id": uploaded, "filename": fileName]
            if insideWindow {
                body["type"] = "document"
                body["document"] = document.merging(["caption": outbound.text]) { a, _ in a }
            } else {
                body["type"] = "template"
                body["template"] = template(configuration.documentTemplate, header: ["type": "document", "document": document], text: outbound.text)
            }
        }
        let waMessageID = try await withRetries("send to \(outbound.applicantRef)") {
            try await graph.sendMessage(phoneNumberID: configuration.phoneNumberID, body: body)
        }
        try await tx.execute(
            """
            INSERT INTO wa_outbound (message_id, wa_message_id, applicant_ref, request_id, kind, via_template)
            VALUES (\(messageID), \(waMessageID), \(outbound.applicantRef), \(outbound.requestId), \(outbound.kind.rawValue), \(!insideWindow))
            """)
        return []
    }

    /// A document goes only to the applicant of the request that owns it, as the
    /// database says (whatever the event claims): anything that can write to
    /// wa.outbound still cannot send one family's KK to another number.
    static func checkOwner(of mediaID: UUID, row: PostgresRow, outbound: WhatsAppOutbound) throws {
        guard let owner = try row.decode("request_id", as: UUID?.self), let applicant = try row.decode("applicant_ref", as: String?.self) else {
            throw MessageRejected("document \(mediaID) belongs to no request; documents are sent only to the applicant of their request")
        }
        guard applicant == outbound.applicantRef, outbound.requestId == nil || outbound.requestId == owner else {
            throw MessageRejected("document \(mediaID) belongs to request \(owner) of another applicant than \(outbound.applicantRef); not sent")
        }
    }

    /// Template parameters may not contain newlines or tabs: they become " | ".
    private func template(_ template: (name: String, language: String), header: [String: Any]?, text: String) -> [String: Any] {
        let flat = text.replacingOccurrences(of: "\n", with: " | ").replacingOccurrences(of: "\t", with: " ")
        var components: [[String: Any]] = []
        if let header { components.append(["type": "header", "parameters": [header]]) }
        components.append(["type": "body", "parameters": [["type": "text", "text": String(flat.prefix(1000))]]])
        return ["name": template.name, "language": ["code": template.language], "components": components]
    }

    private func withRetries<T>(_ what: String, _ call: () async throws -> T) async throws -> T {
        var delay = configuration.sendBackoff
        for attempt in 1...configuration.sendAttempts {
            do {
                return try await call()
            } catch let error as GraphAPIError where error.isRetryable && attempt < configuration.sendAttempts {
                logger.warning("Graph API busy, retrying", metadata: ["what": "\(what)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = delay * 2
            } catch let error as GraphAPIError {
                throw MessageRejected("WhatsApp did not accept \(what) after \(attempt) tries: \(error)")
            } catch let error as URLError {
                if attempt < configuration.sendAttempts {
                    try await Task.sleep(for: delay)
                    delay = delay * 2
                    continue
                }
                throw MessageRejected("WhatsApp could not be reached for \(what) after \(attempt) tries: \(error.localizedDescription)")
            }
        }
        throw MessageRejected("WhatsApp did not accept \(what)")
    }
}
