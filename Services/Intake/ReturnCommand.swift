import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// "Belum Lengkap" (SOP 2): the request goes back to the applicant with the
/// reason and exactly which documents to resend.
struct ReturnIncomplete: OfficerOperation {
    static let name = "return"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let missing: [String]
    let reason: String
    var requestNumber: String? { number }

    func perform(_ call: OfficerCall) async throws -> Done {
        // Checked again here: the service decides, whatever the caller sent.
        try ReturnToApplicant.checkReason(reason)
        let kinds = try ReturnToApplicant.documentKinds(missing)
        guard !kinds.isEmpty else { throw CLIFailure("Sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.") }
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await ReturnToApplicant.send(
                request, kind: .incomplete, missing: kinds, reason: reason, by: call.officer, source: IntakeHandler.name, in: tx)
        }
        return Done()
    }
}

/// `kk-intake return <no> --missing ... --reason ...`.
struct Return: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kembalikan permohonan ke pemohon: Belum Lengkap, dengan dokumen yang harus dikirim ulang.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(
        parsing: .upToNextOption,
        help: "Dokumen yang harus dikirim ulang: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")) (boleh dipisah koma).")
    var missing: [String] = []
    @Option(help: "Alasan untuk pemohon, dengan kata-kata yang jelas.") var reason: String
    @OptionGroup var server: ServerOption

    func validate() throws {
        try ReturnToApplicant.checkReason(reason)
        guard !missing.isEmpty else {
            throw ValidationError("--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.")
        }
    }

    func run() async throws {
        _ = try ReturnToApplicant.documentKinds(missing)  // a typo is named before anything is sent
        _ = try await server.client(.intake).call(ReturnIncomplete(number: number, missing: missing, reason: reason))
        print("Permohonan \(number.uppercased()) dikembalikan: Belum Lengkap. Pemohon akan menerima alasan dan daftar dokumen lewat WhatsApp.")
    }
}
