import ArgumentParser
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService
import KKStore

@main
struct KKEntry: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.entry
    static let officerRoles: Set<Role> = [.serviceOfficer]
    static let configuration = CommandConfiguration(
        commandName: "kk-entry",
        abstract: "Entri data (SOP 3-4): antrean Petugas Unit Layanan & Entri, perubahan data keluarga, dan permohonan cetak.",
        discussion: """
            `serve` menjalankan layanan (memasukkan permohonan dari kk.requests.accepted ke antrean entri) beserta API petugas.

            Konfigurasi layanan: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (kesehatan dan metrik, \
            bawaan 9102), KK_API_PORT (API petugas, bawaan 9202).

            Perintah lainnya untuk Petugas Unit Layanan & Entri dan hanya terhubung ke API petugas (tanpa \
            kredensial basis data): masuk dengan `kk-entry login <nama>` (atau isi KK_OFFICER dan \
            KK_OFFICER_PASSWORD_FILE); alamat layanan diambil dari --server, KK_ENTRY_URL atau KK_API_URL.

            Urutan kerja biasa: queue, show, take <no> --kk <nomor KK>, enter ..., submit.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKEntry>.self, LogoutCommand<KKEntry>.self, WhoAmICommand<KKEntry>.self,
            Queue.self, Show.self, MediaCommand<KKEntry>.self, Take.self, Enter.self, IncompleteReturnCommand<ReturnDuringEntry>.self, Submit.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan entri data dan API petugasnya (untuk operator).")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: EntryHandler.name, defaultHTTPPort: 9102, consumes: [.requestsAccepted], officerQueue: .entry,
                    officerAPI: OfficerAPI(
                        service: .entry,
                        operations: [
                            EntryQueue.self, EntryShow.self, RequestMedia<KKEntry>.self, TakeForEntry.self, EnterChanges.self,
                            ReturnDuringEntry.self, SubmitPrintRequest.self,
                        ]),
                    makeHandler: { context in EntryHandler.make(logger: context.logger) }))
        }
    }
}
