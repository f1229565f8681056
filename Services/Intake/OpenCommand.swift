import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// SOP 2: accept a complete request; publishes kk.requests.accepted for data
/// entry and tells the applicant, in the transaction that records it.
struct OpenRequest: RequestOperation {
    static let name = "open"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String

    func perform(_ call: OfficerCall) async throws -> RequestReason {
        let officer = call.officer
        return try await call.transaction { tx -> RequestReason in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            // Refused when another officer has taken it; a request in another state gets the SOP's own refusal below.
            if try await OfficerQueue.intake.entry(request.id, in: tx) != nil { try await OfficerQueue.intake.take(request, by: officer, in: tx) }
            let documents = try await RequestDocument.current(of: request.id, in: tx)
            let missing = Requirements.missing(for: request.reason, event: request.changeEvent, received: documents.map(\.kind))
            if !missing.isEmpty, request.state == .submitted {
                throw CLIFailure(
                    "Dokumen \(request.number) belum lengkap (\(missing.map(\.indonesianName).joined(separator: ", "))); "
                        + "kembalikan dengan `kk-intake return \(request.number) --missing ... --reason ...`.")
            }
            try await RequestStore.transition(request.id, action: .open, by: officer.actor, in: tx)
            try await OfficerQueue.intake.remove(request.id, in: tx)
            let accepted = RequestAccepted(
                requestNumber: request.number, reason: request.reason,
                documents: documents.map { DocumentReference(mediaId: $0.mediaID, kind: $0.kind, sha256: $0.sha256) })
            let envelope = EventEnvelope(payload: accepted, requestId: request.id, actor: officer.actor)
            try await Outbox.enqueue(
                [
                    OutgoingMessage(topic: .requestsAccepted, envelope: envelope),
                    IntakeHandler.outgoing(IntakeTexts.opened(number: request.number, reason: request.reason), to: request.applicantRef, about: request.id),
                ], source: IntakeHandler.name, in: tx)
            return request.reason
        }
    }
}

/// `kk-intake open <no>` (SOP 2).
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Buka (terima) permohonan yang lengkap (SOP 2); diteruskan ke entri data (kk.requests.accepted).")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let reason = try await server.client(.intake).call(OpenRequest(number: number))
        let next = reason.hasDataEntry ? "antrean entri data (SOP 3)" : "pengajuan cetak tanpa entri data (KK hilang, SOP 4)"
        print("Permohonan \(number.uppercased()) dibuka dan diteruskan ke \(next). Pemohon sudah diberi tahu.")
    }
}
