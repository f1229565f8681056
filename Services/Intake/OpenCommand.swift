import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 2: accept a complete request; publishes kk.requests.accepted for data
/// entry and tells the applicant, in the transaction that records it.
struct OpenRequest: RequestOperation {
    static let name = "open"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    /// The officer checked an identity the register did not confirm (`--identitas-sesuai`), with what they checked.
    var identityNote: String?
    /// The family the officer confirmed the applicant belongs to (`--kk`), required with `identityNote`.
    var kkNumber: String?

    func perform(_ call: OfficerCall) async throws -> RequestReason {
        let officer = call.officer
        return try await call.transaction(detail: identityNote.map { "identitas dikonfirmasi untuk KK \(kkNumber ?? "-"): \($0)" }) { tx -> RequestReason in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            // Refused when another officer has taken it; a request in another state gets the SOP's own refusal below.
            try await OfficerQueue.intake.takeIfQueued(request, by: officer, in: tx)
            let documents = try await RequestDocument.current(of: request.id, in: tx)
            let missing = Requirements.missing(for: request.reason, event: request.changeEvent, received: documents.map(\.kind))
            if !missing.isEmpty, request.state == .submitted {
                throw CLIFailure(
                    "Dokumen \(request.number) belum lengkap (\(missing.map(\.indonesianName).joined(separator: ", "))); "
                        + "kembalikan dengan `kk-intake return \(request.number) --missing ... --reason ...`.")
            }
            try await checkIdentity(of: request, by: officer.username, in: tx)
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

extension OpenRequest {
    /// Who is asking (issue 19 item 3): an identity the register did not confirm is
    /// the officer's to check before the request goes on; `--identitas-sesuai`
    /// records that they did and what they checked. Requests made before the
    /// check existed have no identity and open as before.
    func checkIdentity(of request: RequestRecord, by username: String, in tx: PostgresTransaction) async throws {
        if let kkNumber {
            guard identityNote != nil else { throw CLIFailure("--kk hanya dipakai bersama --identitas-sesuai \"<yang diperiksa>\".") }
            do { _ = try KKNumber(kkNumber) } catch { throw CLIFailure("Nomor KK '\(kkNumber)' tidak sah: \(error)") }
        }
        guard let identity = try await ApplicantIdentities.load(request.id, in: tx) else {
            if identityNote != nil { throw CLIFailure("Permohonan \(request.number) tidak memiliki identitas pemohon untuk dikonfirmasi.") }
            return
        }
        guard identity.status == .mismatch else {
            if identityNote != nil {
                throw CLIFailure("Identitas pemohon \(request.number) sudah sesuai (\(identity.officerSummary)); --identitas-sesuai tidak diperlukan.")
            }
            return
        }
        guard let note = identityNote?.trimmingCharacters(in: .whitespacesAndNewlines), note.count >= 10 else {
            throw CLIFailure(
                "Identitas pemohon \(request.number) belum cocok dengan data keluarga: \(identity.officerSummary).\n"
                    + "Periksa dokumennya (KTP-el, KK lama, SKPWNI) atau hubungi pemohon (`kk-intake reply`), lalu buka dengan "
                    + "`kk-intake open \(request.number) --identitas-sesuai \"<yang diperiksa, min. 10 karakter>\" --kk <nomor KK keluarganya>`, "
                    + "atau kembalikan dengan `kk-intake return`.")
        }
        // The PDF goes only to a member of the signed family: the officer names the family they confirmed.
        guard let kkNumber else {
            throw CLIFailure("Sebutkan juga keluarga pemohon yang Anda pastikan: --kk <nomor KK, 16 angka>.")
        }
        try await ApplicantIdentities.confirm(request.id, kkNumber: kkNumber, by: username, note: note, in: tx)
    }
}

/// `kk-intake open <no>` (SOP 2).
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Buka (terima) permohonan yang lengkap (SOP 2); diteruskan ke entri data (kk.requests.accepted).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(
        name: .customLong("identitas-sesuai"),
        help: "Identitas pemohon belum cocok dengan data keluarga dan sudah Anda periksa: tulis apa yang diperiksa (dicatat di audit).")
    var identityNote: String?
    @Option(help: "Wajib dengan --identitas-sesuai: nomor KK keluarga pemohon yang Anda pastikan (16 angka).") var kk: String?
    @OptionGroup var server: ServerOption

    func run() async throws {
        let reason = try await server.client(.intake).call(OpenRequest(number: number, identityNote: identityNote, kkNumber: kk))
        let next = reason.hasDataEntry ? "antrean entri data (SOP 3)" : "pengajuan cetak tanpa entri data (KK hilang, SOP 4)"
        print("Permohonan \(number.uppercased()) dibuka dan diteruskan ke \(next). Pemohon sudah diberi tahu.")
    }
}
