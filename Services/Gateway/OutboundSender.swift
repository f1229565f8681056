import Foundation
import KKDomain
import KKHTTP
import KKMessaging
import KKStore
import Logging
import Postgres

/// Consumes wa.outbound and sends through the Graph API: free-form inside
/// WhatsApp's 24-hour customer-service window, an approved template outside it.
///
/// The Graph API is called with no database transaction open (`prepare`): the
/// send is claimed in the ledger first (`SendLedger`), and recorded in the
/// consumer's transaction after WhatsApp answered. Each send carries the
/// message id as `biz_opaque_callback_data`, which WhatsApp echoes in its
/// statuses. A message found claimed but never recorded (the gateway stopped
/// mid-send) is in doubt: a text is sent again only when no status for it has
/// come within `inDoubtWait` (counted from the try, or from this gateway's start
/// when that is later) and none waits in the webhook inbox; a document never is
/// (the print officer checks it).
/// 429 and 5xx are retried with backoff; when the tries run out, or WhatsApp
/// refuses, the message goes to kk.deadletter with the reason.
struct OutboundSender: MessageHandler {
    let configuration: GatewayConfiguration
    let graph: any WhatsAppCloudAPI
    let logger: Logger
    /// When this gateway began taking webhooks (and so WhatsApp's statuses).
    var startedAt = Date()

    /// What `prepare` did with a message.
    enum Outcome: Sendable {
        case sent(whatsappMessageID: String)
        /// Sent, refused or in doubt on an earlier delivery of this message: nothing to do.
        case settled
        /// A document an earlier gateway may have sent: for the print officer.
        case inDoubt
    }

    /// Where a message goes, and whether WhatsApp's 24-hour window is open there.
    private struct Recipient {
        let phone: String
        let insideWindow: Bool
    }

    /// A message ready for the Graph API.
    private struct Composed {
        var body: [String: Any]
        let insideWindow: Bool
        /// For documents: the file to upload first (its id goes into `body`) and its caption.
        let document: (bytes: [UInt8], contentType: String, fileName: String, caption: String)?
    }

    func prepare(_ message: InboundMessage, pool: PostgresPool) async throws -> (any Sendable)? {
        let outbound = try message.envelope.decode(WhatsAppOutbound.self)
        let messageID = message.envelope.id.uuidString.lowercased()
        let recipient = try await recipient(of: outbound, pool: pool)
        // An officer's own words (kk-intake reply) carry their name; the services' messages none.
        let actor = message.envelope.actor
        let author = actor.role == .system || actor.role == .applicant ? nil : actor.id
        switch try await SendLedger.claim(messageID, outbound, author: author, viaTemplate: !recipient.insideWindow, pool: pool) {
        case .claimed:
            break
        case .settled:
            return Outcome.settled
        case .unsettled(let claimedAt):
            if outbound.kind == .document {
                logger.warning(
                    "a KK send was interrupted; it may have reached the applicant, so the print officer checks it", metadata: ["message-id": "\(messageID)"])
                return Outcome.inDoubt
            }
            // A status for the earlier try settles it (`SendLedger.settle`); none within the wait: sent again.
            // The wait counts from this gateway's start too: WhatsApp's status for a try cut off by a
            // crash could reach no gateway while none was up, and comes on its next retry of the webhook.
            let deadline = max(claimedAt, startedAt).addingTimeInterval(configuration.inDoubtWait)
            if try await SendLedger.awaitStatus(of: messageID, until: deadline, pool: pool) { return Outcome.settled }
            guard try await SendLedger.reclaim(messageID, pool: pool) else { return Outcome.settled }
            logger.notice("an interrupted text had no status from WhatsApp; sending it again", metadata: ["message-id": "\(messageID)"])
        }
        do {
            // Composed only once claimed: a message settled earlier costs no read of its PDF.
            let composed = try await compose(outbound, to: recipient, pool: pool)
            return Outcome.sent(whatsappMessageID: try await send(composed, messageID: messageID, applicantRef: outbound.applicantRef, pool: pool))
        } catch let refused as MessageRejected {
            try await SendLedger.recordFailed(messageID, reason: refused.reason, pool: pool)
            throw refused
        }
    }

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let messageID = message.envelope.id.uuidString.lowercased()
        switch message.prepared as? Outcome {
        case .sent(let whatsappMessageID):
            try await SendLedger.recordSent(messageID, whatsappMessageID: whatsappMessageID, in: tx)
            return []
        case .settled:
            return []
        case .inDoubt:
            let outbound = try message.envelope.decode(WhatsAppOutbound.self)
            try await SendLedger.recordInDoubt(messageID, in: tx)
            let event = WhatsAppSendInDoubt(messageId: message.envelope.id, applicantRef: outbound.applicantRef, requestId: outbound.requestId)
            let envelope = EventEnvelope(payload: event, requestId: outbound.requestId, actor: Actor(role: .system, id: InboundRecorder.source))
            return [OutgoingMessage(topic: .waStatus, envelope: envelope, key: outbound.applicantRef)]
        case nil:
            throw MessageRejected("kk-gateway handled a wa.outbound message without preparing it")
        }
    }

    /// The applicant's number and window, from one short read (no transaction held).
    private func recipient(of outbound: WhatsAppOutbound, pool: PostgresPool) async throws -> Recipient {
        guard let contact = try await WhatsAppContacts.find(outbound.applicantRef, on: pool) else {
            throw MessageRejected("no WhatsApp contact for applicant \(outbound.applicantRef): nothing was ever received from them")
        }
        return Recipient(
            phone: contact.phone, insideWindow: WhatsAppOutbound.isInsideCustomerServiceWindow(lastInbound: contact.lastInboundAt))
    }

    /// The message as the Graph API takes it (a document's bytes read here, with no transaction held).
    private func compose(_ outbound: WhatsAppOutbound, to recipient: Recipient, pool: PostgresPool) async throws -> Composed {
        let insideWindow = recipient.insideWindow
        var body: [String: Any] = ["to": recipient.phone, "recipient_type": "individual"]
        switch (outbound.kind, insideWindow) {
        case (.text, true):
            body["type"] = "text"
            body["text"] = ["body": outbound.text, "preview_url": false]
            return Composed(body: body, insideWindow: true, document: nil)
        case (.text, false):
            body["type"] = "template"
            body["template"] = template(configuration.textTemplate, header: nil, text: outbound.text)
            return Composed(body: body, insideWindow: false, document: nil)
        case (.document, _):
            guard let mediaID = outbound.mediaId else { throw MessageRejected("a document message without a media id") }
            guard let file = try await MediaFiles.outgoing(mediaID, on: pool) else {
                throw MessageRejected("document \(mediaID) is not in the media store")
            }
            try Self.checkOwner(of: mediaID, file: file, outbound: outbound)
            return Composed(
                body: body, insideWindow: insideWindow, document: (file.bytes, file.contentType, outbound.fileName ?? "dokumen.pdf", outbound.text))
        }
    }

    /// Uploads a document, then sends; returns WhatsApp's message id.
    private func send(_ composed: Composed, messageID: String, applicantRef: String, pool: PostgresPool) async throws -> String {
        var body = composed.body
        body["biz_opaque_callback_data"] = messageID
        if let file = composed.document {
            let uploaded = try await withRetries("upload \(file.fileName)") { timeout in
                try await graph.uploadMedia(
                    phoneNumberID: configuration.phoneNumberID, bytes: file.bytes, contentType: file.contentType, fileName: file.fileName,
                    timeout: timeout)
            }
            let document: [String: Any] = ["id": uploaded, "filename": file.fileName]
            if composed.insideWindow {
                body["type"] = "document"
                body["document"] = document.merging(["caption": file.caption]) { a, _ in a }
            } else {
                body["type"] = "template"
                body["template"] = template(configuration.documentTemplate, header: ["type": "document", "document": document], text: file.caption)
            }
        }
        // A send cut off after it left may have been taken by WhatsApp: the message is left claimed,
        // and the consumer's next try finds it in doubt (see `prepare`) instead of sending a copy now.
        let cutOff: (any Error) throws -> Void = { error in throw RetryLater("the send to \(applicantRef) was cut off: \(error)") }
        // The wait for a status of a send in doubt counts from the last try that may have reached WhatsApp.
        var retry = false
        return try await withRetries("send to \(applicantRef)", ambiguous: cutOff) { timeout in
            if retry { try await SendLedger.retrying(messageID, pool: pool) }
            retry = true
            return try await graph.sendMessage(phoneNumberID: configuration.phoneNumberID, body: body, timeout: timeout)
        }
    }

    /// A document goes only to the applicant of the request that owns it, as the
    /// database says (whatever the event claims): anything that can write to
    /// wa.outbound still cannot send one family's KK to another number.
    static func checkOwner(of mediaID: UUID, file: OutgoingFile, outbound: WhatsAppOutbound) throws {
        guard let owner = file.requestID, let applicant = file.applicantRef else {
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

    /// Calls the Graph API until it answers, within `sendAttempts` tries and the
    /// `sendBudget` (well below Kafka's max.poll.interval.ms, so a slow Graph API
    /// never costs the gateway its partitions). A 429 or 5xx, or a connection that
    /// was never made, is tried again after a growing pause; WhatsApp refusing the
    /// request is final. A call cut off after the request left (a timeout, a reset)
    /// may have been taken: `ambiguous` says what to do then (an upload is simply
    /// tried again; a send is left in doubt).
    private func withRetries<T>(
        _ what: String, ambiguous: (any Error) throws -> Void = { _ in }, _ call: (Duration) async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + configuration.sendBudget
        var delay = configuration.sendBackoff
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - ContinuousClock.now
            var why: String
            do {
                return try await call(min(remaining, graph.timeout))
            } catch let error as GraphAPIError where error.isRetryable {
                why = "\(error)"
            } catch let error as GraphAPIError {
                throw MessageRejected("WhatsApp did not accept \(what) after \(attempt) tries: \(error)")
            } catch let error where HTTPExchange.neverSent(error) {
                why = "WhatsApp could not be reached: \(error)"
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try ambiguous(error)
                why = "no answer from WhatsApp: \(error)"
            }
            guard attempt < configuration.sendAttempts, ContinuousClock.now + delay < deadline else {
                throw MessageRejected("WhatsApp did not accept \(what) after \(attempt) tries: \(why)")
            }
            logger.warning("Graph API busy or away, retrying", metadata: ["what": "\(what)", "attempt": "\(attempt)", "error": "\(why)"])
            try await Task.sleep(for: delay)
            delay = delay * 2
        }
    }
}
