import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The officer takes the request from the entry queue (no other officer may
/// work on it) and links it to the family, starting the draft KK from the
/// family's current register data: the family the applicant's identity was
/// verified for unless the officer names it, and never another one.
struct TakeForEntry: RequestOperation {
    static let name = "take"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let kk: String?
    let reset: Bool

    func perform(_ call: OfficerCall) async throws -> String {
        let officer = call.officer
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.entry.take(request, by: officer, in: tx)
            let existing = try await FamilyDraft.load(requestID: request.id, in: tx)
            // The applicant's family, as their identity was verified or confirmed at SOP 1-2.
            let identified = try await ApplicantIdentities.load(request.id, in: tx)?.kkNumber
            guard let family = kk ?? existing?.kkNumber ?? identified else {
                throw CLIFailure("Sebutkan nomor KK keluarga: `kk-entry take \(request.number) --kk <16 angka>` (lihat formulir F-1.02 atau foto KK lama).")
            }
            _ = try KKNumber(family)
            if let identified, family != identified {
                // The PDF goes only to a member of the signed family: another family cannot be entered on this request.
                throw CLIFailure(
                    "Pemohon \(request.number) terverifikasi sebagai anggota KK \(identified), bukan \(family). "
                        + "Entri hanya untuk KK \(identified) (`kk-entry take \(request.number)` tanpa --kk); bila keluarganya memang lain, "
                        + "kembalikan permohonan dengan `kk-entry return`.")
            }
            if reset { try await tx.execute("DELETE FROM family_drafts WHERE request_id = \(request.id)") }
            let draft = try await FamilyDraft.start(requestID: request.id, kkNumber: family, today: CalendarDate(Date()), in: tx)
            var lines = ["Permohonan \(request.number) diambil oleh \(officer.username); draft KK untuk KK \(family) (\(draft.changes.count) perubahan)."]
            lines += FamilyText.record(draft.record)
            if request.reason.hasDataEntry {
                lines.append("Selanjutnya: entri perubahan dengan `kk-entry enter \(request.number) ...`, lalu `kk-entry submit \(request.number)`.")
            } else {
                lines.append("KK Hilang: tidak ada entri data (SOP). Periksa data di atas, lalu `kk-entry submit \(request.number)`.")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// `kk-entry take <no> --kk <nomor KK>`.
struct Take: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ambil permohonan dari antrean entri dan hubungkan dengan keluarga di register (memulai draft KK).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(
        help:
            "Nomor KK keluarga (16 angka, dari formulir F-1.02 atau foto KK lama). Tidak perlu bila draft sudah ada atau identitas pemohon sudah menunjukkan KK-nya."
    ) var kk: String?
    @Flag(help: "Buang perubahan yang sudah dientri dan mulai draft lagi dari data register.") var reset = false
    @OptionGroup var server: ServerOption

    func run() async throws {
        print(try await server.client(.entry).call(TakeForEntry(number: number, kk: kk, reset: reset)))
    }
}
