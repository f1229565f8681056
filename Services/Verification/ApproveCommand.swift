import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 5-6: the draft is valid and goes to the Kepala Dinas for signature (kk.drafts.verified).
struct ApproveDraft: RequestOperation {
    static let name = "approve"
    static let allowed: Set<Role> = [.verifier]
    let number: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let officer = call.officer
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.verification.take(request, by: officer, in: tx)
            var draft = try await FamilyDraft.required(for: request, forUpdate: true, in: tx)
            try await RequestStore.transition(request.id, action: .verify, by: officer.actor, in: tx)
            draft.status = .verified
            draft.verifiedBy = officer.username
            draft.approvedSHA256 = try draft.contentSHA256  // what the Kepala Dinas may sign, and nothing else
            try await draft.save(in: tx)
            try await OfficerQueue.verification.remove(request.id, in: tx)
            let event = DraftVerified(requestNumber: request.number, draftId: draft.id, verifiedBy: officer.username)
            try await Outbox.enqueue(
                [OutgoingMessage(topic: .draftsVerified, envelope: EventEnvelope(payload: event, requestId: request.id, actor: officer.actor))],
                source: VerificationHandler.name, in: tx)
        }
        return Done()
    }
}

/// `kk-verify approve <no>` (SOP 5-6).
struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Setujui draft KK (valid) dan teruskan ke Kepala Dinas untuk ditandatangani (SOP 6).")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        _ = try await server.client(.verify).call(ApproveDraft(number: number))
        print("Draft KK \(number.uppercased()) disetujui dan diteruskan ke Kepala Dinas untuk tanda tangan elektronik (SOP 7).")
    }
}
