import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore

/// The retention schedule applied now, or what it would remove (`run: false`), decided by `kk-admin serve`.
struct RetentionOperation: OfficerOperation {
    static let name = "retention"
    static let allowed: Set<Role> = [.admin]
    let run: Bool

    func perform(_ call: OfficerCall) async throws -> [String] {
        let schedule = try RetentionSchedule.configured()
        let outcome = try await call.transaction(detail: run ? "jalankan" : "pratinjau") { tx in
            try await RetentionPurge.run(
                schedule, dryRun: !run, actor: (call.officer.username, call.officer.role.rawValue, "kk-admin"), in: tx)
        }
        return ["Jadwal retensi (KK_RETENTION_DOCUMENT_DAYS, KK_RETENTION_CONVERSATION_DAYS):"] + schedule.indonesianLines.map { "  " + $0 }
            + [run ? "Dihapus sekarang:" : "Akan dihapus bila dijalankan (--run):"] + outcome.indonesianLines.map { "  " + $0 }
    }
}

/// `kk-admin retention [--run]`.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "The retention schedule of personal data: what it removes from PostgreSQL now (a preview unless --run).",
        discussion: """
            Photos, files and signed PDFs of requests archived or cancelled more than KK_RETENTION_DOCUMENT_DAYS
            (default 30) days ago leave the database (their digest stays; kk-archive keeps the copies and restores
            them), with the applicant's NIK; message texts and published outbox rows older than
            KK_RETENTION_CONVERSATION_DAYS (default 90) days are removed. kk-admin serve also runs it every
            KK_RETENTION_INTERVAL_SECONDS (default 3600). Every run is audited, one entry per request.
            """)

    @Flag(name: .customLong("run"), help: "Remove now; without it, only show what would be removed.") var apply = false
    @OptionGroup var server: ServerOption

    func run() async throws {
        try await server.client(.admin).call(RetentionOperation(run: apply)).forEach { print($0) }
    }
}
