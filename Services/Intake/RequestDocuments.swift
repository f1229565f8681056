import Foundation
import KKDomain
import Postgres

/// A document an applicant sent for a request, as stored in `media`.
struct RequestDocument: Sendable {
    let mediaID: UUID
    let kind: DocumentKind
    let contentType: String
    let size: Int64
    let sha256: String
    let receivedAt: Date

    /// Every document of a request, in the order received (resent ones included: the history is kept).
    static func all(of requestID: UUID, in tx: PostgresTransaction) async throws -> [RequestDocument] {
        try await tx.query(
            """
            SELECT id, document_kind, content_type, size_bytes, sha256, created_at FROM media
            WHERE request_id = \(requestID) AND document_kind IS NOT NULL ORDER BY created_at, id
            """
        ).rows.map { row in
            RequestDocument(
                mediaID: try row.decode("id", as: UUID.self),
                kind: DocumentKind(rawValue: try row.decode("document_kind", as: String.self)) ?? .supportingDocument,
                contentType: try row.decode("content_type", as: String.self), size: try row.decode("size_bytes", as: Int64.self),
                sha256: try row.decode("sha256", as: String.self), receivedAt: try row.decode("created_at", as: Date.self))
        }
    }

    /// The newest document of each kind: what the officer accepts.
    static func current(of requestID: UUID, in tx: PostgresTransaction) async throws -> [RequestDocument] {
        var latest: [DocumentKind: RequestDocument] = [:]
        for document in try await all(of: requestID, in: tx) { latest[document.kind] = document }
        return DocumentKind.allCases.compactMap { latest[$0] }
    }

    var fileExtension: String {
        switch contentType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/webp": "webp"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }
}
