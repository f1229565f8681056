import ArgumentParser
import Foundation
import KKDocument
import KKDomain
import KKRuntime
import Postgres

/// `kk-sign preview <no> --out FILE`: the KK as it will be printed, unsigned,
/// to read before signing.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simpan pratinjau KK (PDF belum ditandatangani) untuk dibaca sebelum menandatangani.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Berkas PDF tujuan.") var file: String

    func run() async throws {
        let bytes = try await OfficerCommandRunner.run(
            service: SigningHandler.name, command: "preview", allowed: [.headOfDepartment], requestNumber: number
        ) { officer, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, in: tx)
                guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx) else {
                    throw FamilyRegisterError.noDraft(number: request.number)
                }
                return try KKDocumentRenderer.render(
                    DocumentSigning.content(
                        draft.record, issueDate: CalendarDate(Date()), signer: officer, documentID: draft.id,
                        reference: "PRATINJAU \(request.number): BELUM DITANDATANGANI"))
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file), options: .atomic)
        print("Pratinjau KK \(number.uppercased()) disimpan di \(file) (belum ditandatangani).")
    }
}
