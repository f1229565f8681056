import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// What `kk-sign revoke` did.
struct DocumentRevoked: Codable, Sendable, Equatable {
    let documentID: UUID
    let requestNumber: String
    let kkNumber: String
}

/// The Kepala Dinas withdraws a signed KK (issued in error, obtained by fraud):
/// from then on its public verification page and `kk-sign verify` say
/// "DICABUT". The reason is required and audited; a revocation is never undone
/// (the family gets a new KK through a new request).
struct RevokeDocument: OfficerOperation {
    static let name = "cabut"
    static let allowed: Set<Role> = [.headOfDepartment]
    static let minimumReason = 10
    let documentID: UUID
    let reason: String

    func perform(_ call: OfficerCall) async throws -> DocumentRevoked {
        let reason = self.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= Self.minimumReason else {
            throw CLIFailure(
                "Alasan pencabutan terlalu singkat: tulis paling sedikit \(Self.minimumReason) karakter (mis. \"diterbitkan atas data yang keliru\").")
        }
        let id = documentID.uuidString.lowercased()
        return try await call.transaction(detail: "dokumen \(id): \(reason)") { tx in
            guard let (document, requestNumber) = try await SignedDocuments.lock(documentID, in: tx) else {
                throw CLIFailure("Tidak ada KK bertanda tangan dengan dokumen \(id); salin id dokumen dari `kk-sign verify` atau dari KK (di bawah kode QR).")
            }
            if let at = document.revokedAt {
                throw CLIFailure("KK dengan dokumen \(id) sudah dicabut pada \(WIBTime.format(at)).")
            }
            try await SignedDocuments.revoke(documentID, by: call.officer.username, reason: reason, in: tx)
            return DocumentRevoked(documentID: documentID, requestNumber: requestNumber, kkNumber: document.kkNumber)
        }
    }
}

/// `kk-sign revoke <dokumen> --alasan "..."`.
struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cabut KK yang sudah ditandatangani (hanya Kepala Dinas, dengan alasan; tercatat di log audit dan tidak dapat dibatalkan).",
        discussion: "Sesudahnya halaman verifikasi publik dan `kk-sign verify` menyatakan KK itu DICABUT.")
    @Argument(help: "Id dokumen KK (tercetak di bawah kode QR, atau dari `kk-sign verify`).") var document: String
    @Option(name: .customLong("alasan"), help: "Alasan pencabutan (paling sedikit 10 karakter).") var reason: String
    @OptionGroup var server: ServerOption

    func validate() throws {
        guard UUID(uuidString: document) != nil else {
            throw ValidationError("'\(document)' bukan id dokumen KK (bentuknya 8-4-4-4-12 karakter heksadesimal).")
        }
    }

    func run() async throws {
        let revoked = try await server.client(.sign).call(RevokeDocument(documentID: UUID(uuidString: document)!, reason: reason))
        print("KK \(revoked.kkNumber) (permohonan \(revoked.requestNumber), dokumen \(revoked.documentID.uuidString.lowercased())) DICABUT.")
    }
}
