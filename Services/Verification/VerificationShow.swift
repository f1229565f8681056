import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The draft KK next to the family's current record, every changed field
/// marked, and the documents that justify the change (a read of personal data: audited).
struct VerificationShow: RequestShowing {
    static let name = "show"
    static let service = OfficerService.verify
    static let abstract = "Tampilkan draft KK di samping data register (setiap perubahan ditandai *) dan dokumen pendukungnya."
    static let allowed: Set<Role> = [.verifier]
    let number: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let draft = try await FamilyDraft.required(for: request, in: tx)
            let current = try await FamilyRegister.current(draft.kkNumber, in: tx)
            var lines = RequestSummary.lines(request)
            let differences = FamilyDifference.between(current.record, draft.record)
            lines.append("Perubahan (\(differences.count)):")
            if differences.isEmpty {
                lines.append(request.reason == .lost ? "  tidak ada (KK Hilang: dicetak ulang dengan data register)" : "  tidak ada")
            }
            lines += differences.map { "  * \($0)" }
            if !draft.changes.isEmpty {
                lines.append("Dientri petugas:")
                lines += draft.changes.enumerated().map { "  \($0.offset + 1). \($0.element.summary)" }
            }
            lines += try await RequestSummary.documents(request, in: tx)
            lines.append("Lihat dokumen: `kk-verify media \(request.number) --out <folder>`")
            lines += FamilyText.comparison(current: current.record, draft: draft.record)
            lines.append("Setujui: `kk-verify approve \(request.number)`; tolak: `kk-verify reject \(request.number) --reason \"...\"`.")
            return lines.joined(separator: "\n")
        }
    }
}
