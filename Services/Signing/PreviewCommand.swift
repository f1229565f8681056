import ArgumentParser
import Foundation
import KKDocument
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The KK as it will be printed, unsigned, to read before signing.
struct SigningPreview: RequestOperation {
    static let name = "preview"
    static let allowed: Set<Role> = [.headOfDepartment]
    let number: String

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

/// `kk-sign preview <no> --out FILE`.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simpan pratinjau KK (PDF belum ditandatangani) untuk dibaca sebelum menandatangani.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Berkas PDF tujuan.") var file: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let preview = try await server.client(.sign).call(SigningPreview(number: number))
        try preview.bytes.write(to: URL(fileURLWithPath: file), options: .atomic)
        print("Pratinjau KK \(number.uppercased()) disimpan di \(file) (belum ditandatangani).")
    }
}
