import Foundation

/// What the gateway asks of WhatsApp's Cloud API: media in, messages and documents out.
/// The inbox worker (`InboundRecorder`) and the sender (`OutboundSender`) depend on this,
/// not on HTTP; `GraphAPIClient` is its implementation over Meta's Graph API (run in the
/// tests against a local stand-in, the one allowed).
protocol WhatsAppCloudAPI: Sendable {
    /// The longest one call may take; a caller may give less.
    var timeout: Duration { get }

    /// The media `id` names, checked against the declared digest and `limit` bytes.
    func downloadMedia(id: String, declaredSHA256: String?, limit: Int) async throws -> DownloadedMedia

    /// Sends one message (`body` without `messaging_product`); returns WhatsApp's message id.
    func sendMessage(phoneNumberID: String, body: [String: Any], timeout: Duration?) async throws -> String

    /// Uploads a document to send; returns its media id.
    func uploadMedia(phoneNumberID: String, bytes: [UInt8], contentType: String, fileName: String, timeout: Duration?) async throws -> String
}

extension GraphAPIClient: WhatsAppCloudAPI {}
