import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// "Belum Lengkap" found during data entry (SOP 3): the request goes back to
/// the applicant with the reason and the documents to resend.
struct ReturnDuringEntry: IncompleteReturn {
    static let service = OfficerService.entry
    static let abstract = "Kembalikan permohonan ke pemohon saat entri: Belum Lengkap, dengan dokumen yang harus dikirim ulang."
    let number: String
    let missing: [String]
    let reason: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let officer = call.officer
        return try await returnToApplicant(call, source: EntryHandler.name) { request, tx in
            try await OfficerQueue.entry.take(request, by: officer, in: tx)
            try await OfficerQueue.entry.remove(request.id, in: tx)
        }
    }
}
