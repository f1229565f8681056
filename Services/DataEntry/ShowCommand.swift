import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The request, its documents, and the family's register data with the draft
/// next to it once data entry has started (a read of personal data: audited).
struct EntryShow: RequestOperation {
    static let name = "show"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let kk: String?

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            var lines = RequestSummary.lines(request)
            lines += try await RequestSummary.documents(request, in: tx)
            if let draft = try await FamilyDraft.load(requestID: request.id, in: tx) {
                let base = try await FamilyRegister.versions(of: draft.kkNumber, in: tx).first { $0.version == draft.baseVersion }
                lines.append("Draft KK (\(draft.changes.count) perubahan, status \(draft.status.rawValue)):")
                lines += draft.changes.enumerated().map { "  \($0.offset + 1). \($0.element.summary)" }
                lines += FamilyText.comparison(current: base?.record ?? draft.record, draft: draft.record)
            } else if let kk {
                _ = try KKNumber(kk)
                lines.append("Data keluarga di register:")
                lines += FamilyText.record(try await FamilyRegister.current(kk, in: tx).record)
            } else {
                lines.append("Keluarga: belum dihubungkan. Baca nomor KK pada formulir/foto KK, lalu `kk-entry take \(request.number) --kk <nomor KK>`.")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// `kk-entry show <no>`: the request, its documents, and the family's register
/// data (with the draft next to it once data entry has started).
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tampilkan permohonan, dokumennya, dan data keluarga di register (dengan draft bila sudah dientri).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(help: "Nomor KK (16 angka) untuk melihat data keluarga sebelum permohonan diambil.") var kk: String?
    @OptionGroup var server: ServerOption

    func run() async throws {
        print(try await server.client(.entry).call(EntryShow(number: number, kk: kk)))
    }
}
