/// Where the webhook route leaves a signed body of Meta's shape before it answers 200:
/// `WebhookInbox` (a table the inbox worker drains). The route checks and answers;
/// what happens to a body afterwards is the recorder's.
protocol WebhookRecording: Sendable {
    /// Keeps `body` (as it came) for processing; `senderRef` is the applicant's pseudonym, for per-sender limits.
    func store(_ body: [UInt8], senderRef: String?) async throws
}

extension WebhookInbox: WebhookRecording {}
