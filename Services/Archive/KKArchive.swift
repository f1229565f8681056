import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService

@main
struct KKArchive: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.archive
    static let officerRoles: Set<Role> = [.printOfficer]
    static let configuration = CommandConfiguration(
        commandName: "kk-archive",
        abstract: "Arsip (SOP 10): cadangan berlapis KK PDF, dokumen pemohon dan riwayat permohonan; periksa, pulihkan, status.",
        discussion: """
            `serve` menjalankan layanan (menerima pesan dari kk.documents.delivered). KK_ARCHIVE_TARGETS menyebutkan target cadangan, \
            misalnya server=/srv/arsip,hdd=/mnt/hdd/arsip,flash=/media/flash/arsip (folder pada mount yang berbeda); \
            KK_ARCHIVE_COPIES (bawaan: semua target) adalah jumlah salinan terverifikasi agar permohonan dianggap sudah diarsipkan; \
            KK_ARCHIVE_RETRY_SECONDS (bawaan 60) adalah jeda sebelum target yang tidak tersedia dicoba lagi; KK_ARCHIVE_MODE (automatic, \
            bawaan: KK yang sudah diterima pemohon langsung diarsipkan; print-officer: KK menunggu di antrean arsip petugas cetak sampai \
            dikonfirmasi dengan `kk-archive confirm`, sesuai langkah 10 SOP). KK_HTTP_PORT: kesehatan \
            dan metrik, bawaan 9106; KK_API_PORT: API petugas, bawaan 9206; KK_PUBLIC_VERIFY_PORT: halaman verifikasi publik \
            yang dibuka kode QR pada KK (GET /verifikasi/<dokumen>?h=<sha256>), bawaan 9306, dengan KK_PUBLIC_VERIFY_PER_MINUTE \
            permintaan per menit per klien (bawaan 30; klien dikenali dari X-Real-IP yang diisi oleh ingress) dan \
            KK_PUBLIC_VERIFY_TOTAL_PER_MINUTE untuk semua klien sekaligus (bawaan 1200). Perintah lainnya untuk \
            Petugas Cetak dan hanya terhubung ke API petugas (target arsip dan basis data tetap di sisi layanan): \
            masuk dengan `kk-archive login <nama>` (atau isi KK_OFFICER dan KK_OFFICER_PASSWORD_FILE); alamat layanan \
            diambil dari --server, KK_ARCHIVE_URL atau KK_API_URL.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKArchive>.self, LogoutCommand<KKArchive>.self, WhoAmICommand<KKArchive>.self,
            Queue.self, Confirm.self, Verify.self, Restore.self, Status.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan arsip dan API petugasnya (untuk operator).")

        func run() async throws {
            let reader = EnvironmentReader()
            let poll = try reader.integer("KK_ARCHIVE_POLL_MS", default: 5000, range: 10...3_600_000)
            let verifyPort = try reader.integer("KK_PUBLIC_VERIFY_PORT", default: 9306, range: 0...65535)
            let perClient = try reader.integer("KK_PUBLIC_VERIFY_PER_MINUTE", default: 30, range: 1...100_000)
            let overall = try reader.integer("KK_PUBLIC_VERIFY_TOTAL_PER_MINUTE", default: 1200, range: 1...10_000_000)
            let settings = try ArchiveSettings.from()
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: RequestArchiver.name, defaultHTTPPort: 9106, consumes: [.documentsDelivered],
                    officerAPI: OfficerAPI(
                        service: .archive, operations: [ArchiveQueue.self, ConfirmArchive.self, VerifyArchive.self, RestoreArchive.self, ArchiveStatus.self]),
                    makeHandler: { context in ArchiveHandler(archiver: RequestArchiver(settings: settings, logger: context.logger)) },
                    extraServices: { context in
                        [
                            ArchiveRetrier(
                                pool: context.pool, archiver: RequestArchiver(settings: settings, logger: context.logger),
                                interval: .milliseconds(poll)),
                            PublicVerificationPage(pool: context.pool, logger: context.logger, perClientPerMinute: perClient, overallPerMinute: overall)
                                .application(host: context.environment.apiHost, port: verifyPort),
                        ]
                    }))
        }
    }
}
