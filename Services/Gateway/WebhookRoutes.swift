import Foundation
import HTTPTypes
import Hummingbird
import KKHTTP
import KKMessaging
import Logging

/// The webhook endpoint Meta calls: the GET verification handshake and
/// signed POSTs of messages and statuses. A signed body Meta's shape is stored
/// in the webhook inbox and answered 200 at once: no download or recording
/// runs inside the request (`WebhookInboxWorker` does that).
enum WebhookRoutes {
    static let maxBody = 1024 * 1024

    static func router(configuration: GatewayConfiguration, inbox: some WebhookRecording, doorbell: Doorbell, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("webhook") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard query.get("hub.mode") == "subscribe", let token = query.get("hub.verify_token"),
                token == configuration.verifyToken, let challenge = query.get("hub.challenge")
            else {
                logger.warning("webhook verification refused")
                return text(.forbidden, "verification refused: hub.mode must be subscribe and hub.verify_token must match KK_WA_VERIFY_TOKEN")
            }
            return text(.ok, challenge)
        }
        router.post("webhook") { request, _ -> Response in
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBody)
            } catch {
                return text(.contentTooLarge, "webhook body over \(maxBody) bytes")
            }
            let body = Array(buffer.readableBytesView)
            let signature = request.headers[HTTPField.Name("X-Hub-Signature-256")!]
            guard WebhookSignature.isValid(header: signature, body: body, appSecret: configuration.appSecret) else {
                logger.warning("webhook with a missing or wrong X-Hub-Signature-256 refused")
                return text(.unauthorized, "invalid X-Hub-Signature-256")
            }
            let payload: WebhookPayload
            do {
                payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(body))
            } catch {
                if (try? JSONSerialization.jsonObject(with: Data(body))) == nil {
                    return text(.badRequest, "malformed JSON")
                }
                // Valid JSON that is not a payload we know: acknowledge so Meta does not retry forever.
                logger.notice("webhook payload of an unknown shape acknowledged and ignored", metadata: ["error": "\(error)"])
                return text(.ok, "ignored")
            }
            guard payload.object == "whatsapp_business_account" else {
                logger.notice("webhook for object '\(payload.object)' ignored")
                return text(.ok, "ignored")
            }
            if let problem = payload.implausibleIdentifier {
                logger.warning("webhook refused: \(problem)")
                return text(.badRequest, "malformed webhook: \(problem)")
            }
            // Stored as it came and answered at once; the inbox worker records its items.
            do {
                try await inbox.store(body, senderRef: payload.senderRef)
                doorbell.ring()
                return text(.ok, "ok")
            } catch {
                // Meta retries a webhook that did not get 200: nothing is lost while the database is away.
                logger.error("webhook could not be stored; Meta will retry", metadata: ["error": "\(error)"])
                return text(.internalServerError, "temporarily unavailable")
            }
        }
        return router
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
