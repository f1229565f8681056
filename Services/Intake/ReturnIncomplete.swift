import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// "Belum Lengkap" (SOP 2): the request goes back to the applicant with the
/// reason and exactly which documents to resend.
struct ReturnIncomplete: IncompleteReturn {
    static let service = OfficerService.intake
    static let abstract = "Kembalikan permohonan ke pemohon: Belum Lengkap, dengan dokumen yang harus dikirim ulang."
    let number: String
    let missing: [String]
    let reason: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let officer = call.officer
        return try await returnToApplicant(call, source: IntakeHandler.name) { request, tx in
            // Waiting to be opened, or already opened and in the entry queue: the officer
            // who took it there, or anyone while nobody has. In any other state the SOP's own refusal follows.
            if let (queue, _) = try await OfficerQueue.holding(request.id, in: tx), queue == .intake || queue == .entry {
                try await queue.take(request, by: officer, in: tx)
                try await queue.remove(request.id, in: tx)
            }
        }
    }
}
