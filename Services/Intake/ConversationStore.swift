import Foundation
import KKDomain
import Postgres

struct Conversation: Sendable {
    let applicantRef: String
    var stage: ConversationStage
    /// The request the conversation is about (being completed, or to cancel).
    var requestID: UUID?
}

/// The conversation row and each request's pending documents, in PostgreSQL,
/// always read with a row lock: WhatsApp messages (keyed by applicant) and
/// returns (keyed by request) arrive on different partitions.
enum ConversationStore {
    static func load(_ applicantRef: String, in tx: PostgresTransaction) async throws -> Conversation {
        try await tx.execute(
            "INSERT INTO intake_conversations (applicant_ref, stage) VALUES (\(applicantRef), 'idle') ON CONFLICT DO NOTHING")
        let row = try await tx.query(
            "SELECT stage, request_id FROM intake_conversations WHERE applicant_ref = \(applicantRef) FOR UPDATE"
        ).rows[0]
        return Conversation(
            applicantRef: applicantRef,
            stage: ConversationStage(rawValue: try row.decode("stage", as: String.self)) ?? .idle,
            requestID: try row.decode("request_id", as: UUID?.self))
    }

    static func save(_ conversation: Conversation, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE intake_conversations SET stage = \(conversation.stage.rawValue), request_id = \(conversation.requestID), updated_at = now()
            WHERE applicant_ref = \(conversation.applicantRef)
            """)
    }

    static func pending(_ requestID: UUID, in tx: PostgresTransaction) async throws -> [DocumentKind] {
        let rows = try await tx.query("SELECT pending FROM intake_requests WHERE request_id = \(requestID)").rows
        guard let text = try rows.first?.decode("pending", as: String.self) else { return [] }
        return text.split(separator: ",").compactMap { DocumentKind(rawValue: String($0)) }
    }

    static func setPending(_ requestID: UUID, applicantRef: String, _ documents: [DocumentKind], in tx: PostgresTransaction) async throws {
        let text = documents.map(\.rawValue).joined(separator: ",")
        try await tx.execute(
            """
            INSERT INTO intake_requests (request_id, applicant_ref, pending) VALUES (\(requestID), \(applicantRef), \(text))
            ON CONFLICT (request_id) DO UPDATE SET pending = EXCLUDED.pending, current_pages = 0, updated_at = now()
            """)
    }

    /// The pages received so far of the document being collected (the first pending one).
    static func currentPages(_ requestID: UUID, in tx: PostgresTransaction) async throws -> Int {
        let rows = try await tx.query("SELECT current_pages FROM intake_requests WHERE request_id = \(requestID)").rows
        return Int(try rows.first?.decode("current_pages", as: Int32.self) ?? 0)
    }

    static func setCurrentPages(_ requestID: UUID, _ pages: Int, in tx: PostgresTransaction) async throws {
        try await tx.execute("UPDATE intake_requests SET current_pages = \(pages), updated_at = now() WHERE request_id = \(requestID)")
    }
}
