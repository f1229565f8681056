import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-intake return <no> --missing ... --reason ...`: "Belum Lengkap" (SOP 2);
/// the applicant is told the reason and exactly which documents to resend.
struct Return: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kembalikan permohonan ke pemohon: Belum Lengkap, dengan dokumen yang harus dikirim ulang.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(
        parsing: .upToNextOption,
        help: "Dokumen yang harus dikirim ulang: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")) (boleh dipisah koma).")
    var missing: [String] = []
    @Option(help: "Alasan untuk pemohon, dengan kata-kata yang jelas.") var reason: String

    func validate() throws {
        try ReturnToApplicant.checkReason(reason)
        guard !missing.isEmpty else {
            throw ValidationError("--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.")
        }
    }

    func run() async throws {
        let kinds = try ReturnToApplicant.documentKinds(missing)
        try await OfficerCommandRunner.run(
            service: IntakeHandler.name, command: "return", allowed: [.serviceOfficer], requestNumber: number
        ) { officer, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
                try await ReturnToApplicant.send(
                    request, kind: .incomplete, missing: kinds, reason: reason, by: officer, source: IntakeHandler.name, in: tx)
            }
        }
        print("Permohonan \(number.uppercased()) dikembalikan: Belum Lengkap. Pemohon akan menerima alasan dan daftar dokumen lewat WhatsApp.")
    }
}
