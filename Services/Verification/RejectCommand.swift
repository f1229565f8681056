import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 6 "Belum Valid": the request goes back to the applicant with the reason
/// (and the documents to correct).
struct RejectDraft: RequestOperation {
    static let name = "reject"
    static let allowed: Set<Role> = [.verifier]
    let number: String
    let reason: String
    let missing: [String]

    func perform(_ call: OfficerCall) async throws -> Done {
        try ReturnToApplicant.checkReason(reason)
        let kinds = try ReturnToApplicant.documentKinds(missing)
        let officer = call.officer
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.verification.take(request, by: officer, in: tx)
            var draft = try await FamilyDraft.required(for: request, forUpdate: true, in: tx)
            try await ReturnToApplicant.send(
                request, kind: .invalid, missing: kinds, reason: reason, by: officer, source: VerificationHandler.name, in: tx)
            draft.status = .rejected
            draft.verifiedBy = officer.username
            try await draft.save(in: tx)
            try await OfficerQueue.verification.remove(request.id, in: tx)
        }
        return Done()
    }
}

/// `kk-verify reject <no> --reason ...` (SOP 6).
struct Reject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tolak draft KK: Belum Valid. Permohonan kembali ke pemohon dengan alasannya lewat WhatsApp (SOP 6).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(help: "Alasan untuk pemohon: apa yang tidak valid dan harus diperbaiki.") var reason: String
    @Option(
        parsing: .upToNextOption,
        help: "Dokumen yang harus diperbaiki dan dikirim ulang (boleh kosong; bawaan: surat_pernyataan).")
    var missing: [String] = []
    @OptionGroup var server: ServerOption

    func validate() throws { try ReturnToApplicant.checkReason(reason) }

    func run() async throws {
        _ = try ReturnToApplicant.documentKinds(missing)  // a typo is named before anything is sent
        _ = try await server.client(.verify).call(RejectDraft(number: number, reason: reason, missing: missing))
        print("Permohonan \(number.uppercased()) dikembalikan: Belum Valid. Pemohon akan menerima alasannya lewat WhatsApp.")
    }
}
