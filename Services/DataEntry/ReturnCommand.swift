import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-entry return <no> --missing ... --reason ...`: "Belum Lengkap" found
/// during data entry (SOP 3); the applicant gets the reason over WhatsApp.
struct Return: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kembalikan permohonan ke pemohon saat entri: Belum Lengkap, dengan dokumen yang harus dikirim ulang.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(
        parsing: .upToNextOption,
        help: "Dokumen yang harus dikirim ulang: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")) (boleh dipisah koma).")
    var missing: [String] = []
    @Option(help: "Alasan untuk pemohon, dengan kata-kata yang jelas.") var reason: String

    func validate() throws {
        try ReturnToApplicant.checkReason(reason)
        guard !missing.isEmpty else {
            throw ValidationError("--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing akta_kelahiran.")
        }
    }

    func run() async throws {
        let kinds = try ReturnToApplicant.documentKinds(missing)
        try await OfficerCommandRunner.run(
            service: EntryHandler.name, command: "return", allowed: [.serviceOfficer], requestNumber: number
        ) { officer, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
                try await OfficerQueue.entry.take(request, by: officer, in: tx)
                try await ReturnToApplicant.send(
                    request, kind: .incomplete, missing: kinds, reason: reason, by: officer, source: EntryHandler.name, in: tx)
                try await OfficerQueue.entry.remove(request.id, in: tx)
            }
        }
        print("Permohonan \(number.uppercased()) dikembalikan: Belum Lengkap. Pemohon akan menerima alasan dan daftar dokumen lewat WhatsApp.")
    }
}
