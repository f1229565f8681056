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
        abstract: "Jadwal retensi data pribadi: apa yang dihapusnya dari PostgreSQL sekarang (hanya pratinjau tanpa --run).",
        discussion: """
            Foto, berkas dan PDF bertanda tangan dari permohonan yang diarsipkan atau dibatalkan lebih dari
            KK_RETENTION_DOCUMENT_DAYS (bawaan 30) hari lalu dihapus dari basis data (hash-nya tetap; kk-archive menyimpan
            salinannya dan dapat memulihkannya), beserta NIK pemohon; teks pesan dan baris outbox terkirim yang lebih lama
            dari KK_RETENTION_CONVERSATION_DAYS (bawaan 90) hari dihapus. kk-admin serve juga menjalankannya setiap
            KK_RETENTION_INTERVAL_SECONDS (bawaan 3600). Setiap pelaksanaan tercatat di log audit, satu entri per permohonan.
            """)

    @Flag(name: .customLong("run"), help: "Hapus sekarang; tanpa ini, hanya tampilkan apa yang akan dihapus.") var apply = false
    @OptionGroup var server: ServerOption

    func run() async throws {
        try await server.client(.admin).call(RetentionOperation(run: apply)).forEach { print($0) }
    }
}
