import Foundation
import KKDomain
import Postgres

/// One of a request's documents with its bytes, as an officer downloads it:
/// numbered in the order received ("01-formulir_f102.jpg").
public struct DocumentFile: Codable, Sendable, Equatable {
    public let name: String
    public let contentType: String
    public let bytes: Data

    public init(name: String, contentType: String, bytes: Data) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }

    /// Every stored document of a request, in the order received.
    public static func all(of requestID: UUID, in tx: PostgresTransaction) async throws -> [DocumentFile] {
        let documents = try await RequestDocument.all(of: requestID, in: tx)
        let stored = try await MediaFiles.bytes(of: documents.map(\.mediaID), in: tx)
        var files: [DocumentFile] = []
        for (index, document) in documents.enumerated() {
            guard let bytes = stored[document.mediaID] else { continue }
            let page = document.page > 1 ? "-hal\(document.page)" : ""
            let name = String(format: "%02d-%@%@.%@", index + 1, document.kind.rawValue, page, document.fileExtension)
            files.append(DocumentFile(name: name, contentType: document.contentType, bytes: Data(bytes)))
        }
        return files
    }
}
