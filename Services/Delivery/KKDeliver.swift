import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService
import KKStore

@main
struct KKDeliver: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.deliver
    static let officerRoles: Set<Role> = [.printOfficer]
    static let configuration = CommandConfiguration(
        commandName: "kk-deliver",
        abstract: "Pengiriman (SOP 8-9): KK PDF ke WhatsApp pemohon dengan pemberitahuan; antrean Petugas Cetak untuk yang gagal.",
        discussion: """
            `serve` menjalankan layanan: menerima pesan dari kk.documents.signed (mengirim PDF dan pemberitahuannya lewat wa.outbound) dan \
            wa.status (pengiriman yang terkonfirmasi menerbitkan pesan kk.documents.delivered); pengiriman yang belum terkonfirmasi diulang.

            Perintah lainnya untuk Petugas Cetak dan hanya terhubung ke API petugas (tanpa kredensial basis data): \
            masuk dengan `kk-deliver login <nama>` (atau isi KK_OFFICER dan KK_OFFICER_PASSWORD_FILE); alamat layanan \
            diambil dari --server, KK_DELIVER_URL atau KK_API_URL.

            Konfigurasi layanan: KK_DELIVERY_CONFIRM_SECONDS (lama menunggu konfirmasi WhatsApp, bawaan 600), \
            KK_DELIVERY_ATTEMPTS (bawaan 3), KK_DELIVERY_POLL_MS (bawaan 5000), KK_DELIVERY_MODE (automatic, bawaan: \
            KK yang sudah ditandatangani langsung dikirim; print-officer: KK menunggu di antrean petugas cetak sampai dikirim dengan \
            `kk-deliver send`, sesuai langkah 8 SOP), KK_DATABASE_URL, KK_KAFKA_BROKERS, \
            KK_HTTP_PORT (kesehatan dan metrik, bawaan 9105), KK_API_PORT (API petugas, bawaan 9205).
            """,
        subcommands: [
            Serve.self, LoginCommand<KKDeliver>.self, LogoutCommand<KKDeliver>.self, WhoAmICommand<KKDeliver>.self,
            Queue.self, RequestFileCommand<DownloadSignedKK>.self, Send.self, Resend.self, RequestShowCommand<DeliveryStatus>.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan pengiriman KK dan API petugasnya (untuk operator).")

        func run() async throws {
            let settings = try DeliveryAttempt.Settings.from()
            let poll = try EnvironmentReader().integer("KK_DELIVERY_POLL_MS", default: 5000, range: 10...3_600_000)
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: DeliveryHandler.name, defaultHTTPPort: 9105, consumes: [.documentsSigned, .waStatus], officerQueue: .delivery,
                    officerAPI: OfficerAPI(
                        service: .deliver, operations: [DeliveryQueue.self, DownloadSignedKK.self, SendKK.self, ResendKK.self, DeliveryStatus.self]),
                    makeHandler: { context in DeliveryHandler(logger: context.logger, settings: settings) },
                    extraServices: { context in
                        [DeliveryScheduler(pool: context.pool, settings: settings, interval: .milliseconds(poll), logger: context.logger)]
                    }))
        }
    }
}
