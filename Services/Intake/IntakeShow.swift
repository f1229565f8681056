import Foundation
import KKDomain
import KKLogging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// A request, its documents and its history, as the service officer reads them (a read of personal data: audited).
struct IntakeShow: RequestShowing {
    static let name = "show"
    static let service = OfficerService.intake
    static let abstract = "Tampilkan data, dokumen dan riwayat satu permohonan."
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            var lines = [
                "Permohonan  \(request.number)",
                "Alasan      \(request.purpose)",
                "Status      \(request.state.indonesianName) (sejak \(WIBTime.format(request.stateEnteredAt)), \(indonesianDuration(Date().timeIntervalSince(request.stateEnteredAt))))",
                "Pemohon     \(request.applicantRef) (WhatsApp \(PersonalDataMasker.mask(request.applicantPhone)))",
                "Nomor KK    \(request.kkNumber ?? "-")",
            ]
            let identity = try await ApplicantIdentities.load(request.id, in: tx)
            lines.append("Identitas   \(identity?.officerSummary ?? "belum diberikan pemohon")")
            if let note = request.lastNote { lines.append("Catatan     \(note)") }
            let documents = try await RequestDocument.all(of: request.id, in: tx)
            let missing = Requirements.missing(for: request.reason, event: request.changeEvent, received: documents.map(\.kind))
            lines.append("Dokumen (\(documents.count)):")
            for (index, d) in documents.enumerated() {
                lines.append("  \(index + 1). \(d.line)")
            }
            if !missing.isEmpty { lines.append("  Belum ada: \(missing.map(\.indonesianName).joined(separator: ", "))") }
            lines.append("Riwayat:")
            for event in try await RequestStore.events(of: request.id, in: tx) {
                let what = event.action?.indonesianName ?? "permohonan dibuat"
                lines.append(
                    "  \(WIBTime.format(event.occurredAt))  \(event.actor.role.indonesianName) \(event.actor.id): \(what)\(event.note.map { " (\($0))" } ?? "")"
                )
            }
            return lines.joined(separator: "\n")
        }
    }
}
