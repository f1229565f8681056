import Crypto
import Foundation
import Hex
import KKDomain
import KKOfficerCLI

/// What the KK's QR code carries: the document id and the SHA-256 of the
/// signed family record, as the URL of the public verification page
/// (`<KK_PUBLIC_VERIFY_URL>/<document id>?h=<sha256>`, served by kk-archive) that any
/// phone camera opens. `kk-sign verify --reference` takes the URL, or the
/// "KKBANTUL:1:<document id>:<sha256>" text of KKs signed before the page existed.
struct VerificationReference: Equatable {
    static let prefix = "KKBANTUL:1:"
    /// Where the public page is when KK_PUBLIC_VERIFY_URL is not set: kk-archive's
    /// verification port on this machine (the local stack and the demo).
    static let defaultBaseURL = "http://127.0.0.1:9306/verifikasi"
    let documentID: UUID
    let contentSHA256: String

    init(documentID: UUID, record: FamilyRecord) throws {
        self.documentID = documentID
        contentSHA256 = try Self.digest(of: record, documentID: documentID)
    }

    init?(_ text: String) {
        if let components = URLComponents(string: text), let scheme = components.scheme, ["http", "https"].contains(scheme),
            let id = components.path.split(separator: "/").last.flatMap({ UUID(uuidString: String($0)) }),
            let digest = components.queryItems?.first(where: { $0.name == "h" })?.value, digest.count == 64
        {
            documentID = id
            contentSHA256 = digest.lowercased()
            return
        }
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), parts[1].count == 64 else { return nil }
        documentID = id
        contentSHA256 = String(parts[1]).lowercased()
    }

    var text: String { "\(Self.prefix)\(documentID.uuidString.lowercased()):\(contentSHA256)" }

    /// The public page's URL for this KK under `base`.
    func url(base: String) -> String { "\(base)/\(documentID.uuidString.lowercased())?h=\(contentSHA256)" }

    /// KK_PUBLIC_VERIFY_URL, or else the office profile's `verification_url`: the
    /// public verification page's address as citizens reach it (e.g.
    /// https://cek.disdukcapil.example/verifikasi), without a trailing slash.
    static func baseURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let text = (environment["KK_PUBLIC_VERIFY_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? OfficeProfile.current.verificationURL ?? "")
            .trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return defaultBaseURL }
        guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme ?? ""), components.host?.isEmpty == false,
            components.query == nil
        else {
            throw CLIFailure("KK_PUBLIC_VERIFY_URL '\(text)' is not an http(s) address without a query; set it like https://cek.disdukcapil.example/verifikasi")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
    /// SHA-256 of the record's canonical JSON (keys sorted) and the document id.
    static func digest(of record: FamilyRecord, documentID: UUID) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(record))
        bytes += Array(documentID.uuidString.lowercased().utf8)
        return SHA256.hash(data: bytes).hexEncoded
    }
}
