import ArgumentParser
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService
import KKStore

@main
struct KKVerify: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.verify
    static let officerRoles: Set<Role> = [.verifier]
    static let configuration = CommandConfiguration(
        commandName: "kk-verify",
        abstract: "Verifikasi (SOP 5-6): antrean Kasi/Kabid, draft KK dibanding data register, setujui atau tolak (Belum Valid).",
        discussion: """
            `serve` menjalankan layanan (memasukkan permohonan dari kk.drafts.submitted ke antrean Kasi/Kabid) beserta API petugas.

            Konfigurasi layanan: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (kesehatan dan metrik, \
            bawaan 9103), KK_API_PORT (API petugas, bawaan 9203).

            Perintah lainnya untuk Kasi/Kabid dan hanya terhubung ke API petugas (tanpa kredensial basis data): \
            masuk dengan `kk-verify login <nama>` (atau isi KK_OFFICER dan KK_OFFICER_PASSWORD_FILE); alamat layanan \
            diambil dari --server, KK_VERIFY_URL atau KK_API_URL. Siapa pun yang mengentri data tidak boleh memverifikasinya \
            (prinsip empat mata). `release` dan `reassign` memindahkan permohonan yang sudah diambil petugas lain (di antrean mana pun).
            """,
        subcommands: [
            Serve.self, LoginCommand<KKVerify>.self, LogoutCommand<KKVerify>.self, WhoAmICommand<KKVerify>.self,
            Queue.self, RequestShowCommand<VerificationShow>.self, MediaCommand<KKVerify>.self, Take.self, Approve.self, Reject.self, Release.self,
            Reassign.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan verifikasi dan API petugasnya (untuk operator).")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: VerificationHandler.name, defaultHTTPPort: 9103, consumes: [.draftsSubmitted], officerQueue: .verification,
                    officerAPI: OfficerAPI(
                        service: .verify,
                        operations: [
                            VerificationQueue.self, VerificationShow.self, RequestMedia<KKVerify>.self, TakeForVerification.self,
                            ApproveDraft.self, RejectDraft.self, ReleaseRequest.self, ReassignRequest.self,
                        ]),
                    makeHandler: { context in VerificationHandler.make(logger: context.logger) }))
        }
    }
}
