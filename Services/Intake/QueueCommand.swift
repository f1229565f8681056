import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The complete requests waiting to be opened (SOP 2), oldest first, as the service officer reads them.
struct IntakeQueue: OfficerOperation {
    static let name = "queue"
    static let allowed: Set<Role> = [.serviceOfficer]

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            let rows = try await tx.query(
                """
                SELECT r.*, q.taken_by,
                    (SELECT count(*) FROM media m WHERE m.request_id = r.id AND m.document_kind IS NOT NULL) AS documents,
                    (SELECT i.status FROM applicant_identities i WHERE i.request_id = r.id) AS identity
                FROM officer_queue q JOIN requests r ON r.id = q.request_id
                WHERE q.queue = \(OfficerQueue.intake.rawValue) ORDER BY r.state_entered_at, r.number
                """
            ).rows
            let now = Date()
            let standard = Double(SOPStep.s2.timeStandard.components.seconds)
            return try rows.map { row -> String in
                let request = try RequestStore.record(from: row)
                let waited = OfficeHours.calendar.workingSeconds(from: request.stateEnteredAt, to: now)
                let flag = waited > standard ? "LEWAT STANDAR" : "dalam standar"
                let resent = request.version > 2 ? " (dilengkapi ulang)" : ""
                // The officer checks an identity the register did not confirm before opening (`kk-intake show`).
                let identity = try row.decode("identity", as: String?.self) == IdentityRecord.Status.mismatch.rawValue ? "  IDENTITAS BELUM COCOK" : ""
                return [
                    request.number, request.purpose.padding(toLength: 38, withPad: " ", startingAt: 0),
                    "\(try row.decode("documents", as: Int64.self)) dok",
                    "menunggu \(indonesianDuration(waited)) jam kerja / standar \(IntakeTexts.minutes(SOPStep.s2.timeStandard)): \(flag)\(resent)",
                    try row.decode("taken_by", as: String?.self).map { "diambil \($0)" } ?? "belum diambil",
                ].joined(separator: "  ") + identity
            }
        }
    }
}

/// `kk-intake queue`: complete requests waiting to be opened (SOP 2), oldest first.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean permohonan yang menunggu dibuka (SOP 2), yang terlama di atas, dengan lama menunggu dibanding standar.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let lines = try await server.client(.intake).call(IntakeQueue())
        if lines.isEmpty {
            print("Tidak ada permohonan yang menunggu dibuka.")
        } else {
            print("\(lines.count) permohonan menunggu dibuka (SOP 2):")
            lines.forEach { print($0) }
        }
    }
}
