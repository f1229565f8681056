import Foundation
import KKDomain
import KKRuntime
import Postgres

/// "Belum Lengkap" found during data entry (SOP 3): the request goes back to
/// the applicant with the reason and the documents to resend.
struct ReturnDuringEntry: IncompleteReturn {
    static let name = "return"
    static let service = OfficerService.entry
    static let abstract = "Kembalikan permohonan ke pemohon saat entri: Belum Lengkap, dengan dokumen yang harus dikirim ulang."
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let missing: [String]
    let reason: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let kinds = try ReturnToApplicant.incompleteKinds(missing, reason: reason)  // the service decides, whatever the caller sent
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.entry.take(request, by: call.officer, in: tx)
            try await ReturnToApplicant.send(
                request, kind: .incomplete, missing: kinds, reason: reason, by: call.officer, source: EntryHandler.name, in: tx)
            try await OfficerQueue.entry.remove(request.id, in: tx)
        }
        return Done()
    }
}
