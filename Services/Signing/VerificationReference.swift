import Crypto
import Foundation
import KKDomain

/// What the KK's QR code carries: the document id and the SHA-256 of the
/// signed family record, "KKBANTUL:1:<document id>:<sha256>". Scanning it and
/// giving it to `kk-sign verify --reference` tells whether that KK was issued.
struct VerificationReference: Equatable {
    static let prefix = "KKBANTUL:1:"
    let documentID: UUID
    let contentSHA256: String

    init(documentID: UUID, record: FamilyRecord) throws {
        self.documentID = documentID
        contentSHA256 = try Self.digest(of: record, documentID: documentID)
    }

    init?(_ text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), parts[1].count == 64 else { return nil }
        documentID = id
        contentSHA256 = String(parts[1]).lowercased()
    }

    var text: String { "\(Self.prefix)\(documentID.uuidString.lowercased()):\(contentSHA256)" }

    /// SHA-256 of the record's canonical JSON (keys sorted) and the document id.
    static func digest(of record: FamilyRecord, documentID: UUID) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(record))
        bytes += Array(documentID.uuidString.lowercased().utf8)
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
