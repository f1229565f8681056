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
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--reason tidak boleh kosong: tulis apa yang harus diperbaiki pemohon.")
        }
        guard !missing.isEmpty else {
            throw ValidationError("--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.")
        }
    }

    func run() async throws {
        let names = missing.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let kinds = try names.map { name -> DocumentKind in
            guard let kind = DocumentKind(rawValue: name) else {
                throw CLIFailure("Jenis dokumen '\(name)' tidak dikenal. Pilihan: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return kind
        }
        let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try await OfficerCommandRunner.run(
            service: IntakeHandler.name, command: "return", allowed: [.serviceOfficer], requestNumber: number
        ) { officer, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
                let required = Requirements.required(for: request.reason)
                if let wrong = kinds.first(where: { !required.contains($0) }) {
                    throw CLIFailure(
                        "\(wrong.indonesianName) bukan persyaratan permohonan \(request.reason.indonesianName). "
                            + "Persyaratannya: \(required.map(\.rawValue).joined(separator: ", ")).")
                }
                try await RequestStore.transition(
                    request.id, action: .returnIncomplete, by: officer.actor, note: note, in: tx)
                let unique = required.filter(kinds.contains)
                let returned = RequestReturned(requestNumber: request.number, kind: .incomplete, missingDocuments: unique, reason: note)
                let envelope = EventEnvelope(payload: returned, requestId: request.id, actor: officer.actor)
                try await Outbox.enqueue([OutgoingMessage(topic: .requestsReturned, envelope: envelope)], source: IntakeHandler.name, in: tx)
            }
        }
        print("Permohonan \(number.uppercased()) dikembalikan: Belum Lengkap. Pemohon akan menerima alasan dan daftar dokumen lewat WhatsApp.")
    }
}
