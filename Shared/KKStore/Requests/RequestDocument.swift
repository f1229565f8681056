import Foundation
import KKDomain
import Postgres

/// A document an applicant sent for a request, as stored in `media`.
public struct RequestDocument: Sendable {
    public let mediaID: UUID
    public let kind: DocumentKind
    public let contentType: String
    public let size: Int64
    public let sha256: String
    public let receivedAt: Date
    /// Its page in the document it belongs to (1 for a one-page document, and
    /// for documents received before pages were kept).
    public let page: Int

    /// Every document of a request, in the order received (resent ones included: the history is kept).
    public static func all(of requestID: UUID, in tx: PostgresTransaction) async throws -> [RequestDocument] {
        try await tx.query(
            """
            SELECT id, document_kind, content_type, size_bytes, sha256, created_at, page FROM media
            WHERE request_id = \(requestID) AND document_kind IS NOT NULL ORDER BY created_at, id
            """
        ).rows.map { row in
            RequestDocument(
                mediaID: try row.decode("id", as: UUID.self),
                kind: DocumentKind(rawValue: try row.decode("document_kind", as: String.self)) ?? .supportingDocument,
                contentType: try row.decode("content_type", as: String.self), size: try row.decode("size_bytes", as: Int64.self),
                sha256: try row.decode("sha256", as: String.self), receivedAt: try row.decode("created_at", as: Date.self),
                page: Int(try row.decode("page", as: Int32?.self) ?? 1))
        }
    }

    /// The newest copy of each kind, with all its pages (a resent document
    /// starts again at page 1): what the officer accepts.
    public static func current(of requestID: UUID, in tx: PostgresTransaction) async throws -> [RequestDocument] {
        var latest: [DocumentKind: [RequestDocument]] = [:]
        for document in try await all(of: requestID, in: tx) {
            if document.page == 1 { latest[document.kind] = [] }
            latest[document.kind, default: []].append(document)
        }
        return DocumentKind.allCases.flatMap { latest[$0] ?? [] }
    }

    public var fileExtension: String {
        switch contentType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/webp": "webp"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }

    /// "Formulir F-1.02 (image/jpeg, 30 KB, sha256 1a2b3c4d5e6f), diterima 25-11-2026 09.14 WIB": one line for the CLIs.
    public var line: String {
        "\(kind.indonesianName)\(page > 1 ? " hal. \(page)" : "")  \(contentType)  \(size) byte  sha256 \(sha256.prefix(12))  diterima \(WIBTime.format(receivedAt))"
    }
}
