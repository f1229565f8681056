import Foundation
import KKDocument
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The KK as it will be printed, unsigned, to read before signing.
struct SigningPreview: RequestFileFetching {
    static let name = "preview"
    static let service = OfficerService.sign
    static let abstract = "Simpan pratinjau KK (PDF belum ditandatangani) untuk dibaca sebelum menandatangani."
    static let allowed: Set<Role> = [.headOfDepartment]
    let number: String

    static func saved(_ file: DocumentFile, number: String, path: String) -> String {
        "Pratinjau KK \(number) disimpan di \(path) (belum ditandatangani)."
    }

    func perform(_ call: OfficerCall) async throws -> DocumentFile {
        let officer = call.officer
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let draft = try await FamilyDraft.required(for: request, in: tx)
            let bytes = try KKDocumentRenderer.render(
                DocumentSigning.content(
                    draft.record, issueDate: CalendarDate(Date()), signer: officer, documentID: draft.id,
                    reference: "PRATINJAU \(request.number): BELUM DITANDATANGANI"))
            return DocumentFile(name: "PRATINJAU-\(request.number).pdf", contentType: "application/pdf", bytes: Data(bytes))
        }
    }
}
