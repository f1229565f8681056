import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// What will be signed: the request, who prepared and verified it, what
/// changes, and the family as the KK will print it (a read of personal data: audited).
struct SigningShow: RequestShowing {
    static let name = "show"
    static let service = OfficerService.sign
    static let abstract = "Tampilkan KK yang akan ditandatangani: perubahan, petugas, dan data keluarga."
    static let allowed: Set<Role> = [.headOfDepartment]
    let number: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let draft = try await FamilyDraft.required(for: request, in: tx)
            var lines = RequestSummary.lines(request)
            lines.append("Diverifikasi oleh \(draft.verifiedBy ?? "-")")
            let differences = try await draft.differences(in: tx)
            lines.append("Perubahan (\(differences.count)):")
            lines += differences.map { "  * \($0)" }
            lines += FamilyText.record(draft.record)
            lines.append("Pratinjau PDF: `kk-sign preview \(request.number) --out KK.pdf`; tanda tangan: `kk-sign sign \(request.number)`.")
            return lines.joined(separator: "\n")
        }
    }
}
