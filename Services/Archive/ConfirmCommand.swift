import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Logging
import Postgres

/// SOP 10 as the SOP writes it (`KK_ARCHIVE_MODE=print-officer`): the print
/// officer archives a delivered KK. The service copies the signed PDF, the
/// applicant's documents and the request's history to every target and
/// verifies them; the request is archived as this officer's step, at once or,
/// when a target is down, once the copies the service retries are complete.
struct ConfirmArchive: RequestOperation, PrintOfficerOperation {
    static let name = "confirm"
    let number: String

    struct Outcome: Codable, Sendable {
        let archived: Bool
    }

    func perform(_ call: OfficerCall) async throws -> Outcome {
        let archiver = RequestArchiver(settings: try ArchiveSettings.from(), logger: Logger(label: RequestArchiver.name))
        let officer = call.officer
        // The files are written to the targets first, with no transaction open (a delivered request's only).
        var copies = RequestArchiver.Copies()
        if let requestID = call.requestID { copies = try await archiver.copy(requestID, pool: call.pool) }
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            guard request.state == .delivered else {
                throw CLIFailure(
                    request.state == .archived
                        ? "Permohonan \(request.number) sudah diarsipkan."
                        : "Permohonan \(request.number) belum diterima pemohon (status: \(request.state.indonesianName)); arsipkan setelah KK diterima.")
            }
            try await OfficerQueue.archive.take(request, by: officer, in: tx)
            try await OfficerQueue.archive.remove(request.id, in: tx)
            guard let documentID = try await SignedDocuments.latest(of: request.id, in: tx)?.id else {
                throw CLIFailure("Permohonan \(request.number) tidak memiliki KK bertanda tangan.")
            }
            let messages = try await archiver.archive(request.id, documentID: documentID, by: officer.actor, copied: copies, in: tx)
            try await Outbox.enqueue(messages, source: RequestArchiver.name, in: tx)
            return Outcome(archived: !messages.isEmpty)
        }
    }
}

/// `kk-archive confirm <no>`.
struct Confirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Arsipkan KK yang sudah diterima pemohon (SOP 10, bila kantor memakai KK_ARCHIVE_MODE=print-officer).")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let outcome = try await server.client(.archive).call(ConfirmArchive(number: number))
        print(
            outcome.archived
                ? "Permohonan \(number.uppercased()) diarsipkan: setiap berkas tersalin dan terverifikasi di target arsip."
                : "Permohonan \(number.uppercased()) menunggu salinan arsip (target belum tersedia); layanan mencoba lagi dan mencatatnya atas nama Anda. Lihat `kk-archive status`."
        )
    }
}
