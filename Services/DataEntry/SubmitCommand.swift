import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 4: the print request with the draft KK goes to the Kasi/Kabid
/// (kk.drafts.submitted). A lost KK goes with the family's current data, unchanged.
struct SubmitPrintRequest: RequestOperation {
    static let name = "submit"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String

    func perform(_ call: OfficerCall) async throws -> Int {
        let officer = call.officer
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.entry.take(request, by: officer, in: tx)
            var draft = try await FamilyDraft.required(for: request, forUpdate: true, in: tx)
            let current = try await FamilyRegister.current(draft.kkNumber, in: tx)
            guard current.version == draft.baseVersion else {
                throw FamilyRegisterError.staleDraft(kkNumber: draft.kkNumber, base: draft.baseVersion, current: current.version)
            }
            let violations = draft.record.violations(today: CalendarDate(Date()))
            guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
            try await RequestStore.transition(
                request.id, action: .submitPrintRequest, by: officer.actor, note: "draft KK \(draft.kkNumber), \(draft.changes.count) perubahan",
                in: tx)
            draft.status = .submitted
            draft.preparedBy = officer.username
            try await draft.save(in: tx)
            try await OfficerQueue.entry.remove(request.id, in: tx)
            let event = DraftSubmitted(requestNumber: request.number, draftId: draft.id, preparedBy: officer.username)
            try await Outbox.enqueue(
                [OutgoingMessage(topic: .draftsSubmitted, envelope: EventEnvelope(payload: event, requestId: request.id, actor: officer.actor))],
                source: EntryHandler.name, in: tx)
            return draft.changes.count
        }
    }
}

/// `kk-entry submit <no>` (SOP 4).
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ajukan permohonan cetak dengan draft KK ke Kasi/Kabid (SOP 4).")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let changes = try await server.client(.entry).call(SubmitPrintRequest(number: number))
        print("Permohonan cetak \(number.uppercased()) diajukan ke Kasi/Kabid (SOP 4) dengan draft KK (\(changes) perubahan).")
    }
}
