import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The signed PDF of a request, as signed (SOP 8).
struct DownloadSignedKK: RequestFileFetching, PrintOfficerOperation {
    static let name = "download"
    static let service = OfficerService.deliver
    static let abstract = "Unduh KK PDF bertanda tangan elektronik (SOP 8)."
    let number: String

    static func saved(_ file: DocumentFile, number: String, path: String) -> String {
        "\(file.name) (\(file.bytes.count) byte) disimpan di \(path)."
    }

    func perform(_ call: OfficerCall) async throws -> DocumentFile {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            guard let pdf = try await SignedDocuments.latestPDF(of: request.id, in: tx) else {
                throw CLIFailure("Permohonan \(request.number) belum memiliki KK bertanda tangan (status: \(request.state.indonesianName)).")
            }
            guard let bytes = pdf.bytes else {
                throw CLIFailure(
                    "PDF KK permohonan \(request.number) sudah dihapus dari basis data sesuai jadwal retensi; salinannya ada di arsip: "
                        + "`kk-archive restore \(request.number) --out <folder>`.")
            }
            return DocumentFile(name: pdf.fileName ?? "KK.pdf", contentType: "application/pdf", bytes: Data(bytes))
        }
    }
}
