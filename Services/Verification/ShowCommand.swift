import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-verify show <no>`: the draft KK next to the family's current record,
/// every changed field marked, and the documents that justify the change.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tampilkan draft KK di samping data register (setiap perubahan ditandai *) dan dokumen pendukungnya.")
    @Argument(help: "Nomor permohonan.") var number: String

    func run() async throws {
        let text = try await OfficerCommandRunner.run(
            service: VerificationHandler.name, command: "show", allowed: [.verifier], requestNumber: number
        ) { _, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, in: tx)
                guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx) else {
                    throw FamilyRegisterError.noDraft(number: request.number)
                }
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
        print(text)
    }
}
