import ArgumentParser
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService

@main
struct KKIntake: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.intake
    static let officerRoles: Set<Role> = [.serviceOfficer]
    static let configuration = CommandConfiguration(
        commandName: "kk-intake",
        abstract: "Penerimaan berkas (SOP 1-2): percakapan WhatsApp pemohon dan antrean Petugas Unit Layanan & Entri.",
        discussion: """
            `serve` menjalankan layanan (menerima pesan dari wa.inbound dan kk.requests.returned, dan mengabarkan tahap selanjutnya \
            kepada pemohon berdasarkan pesan kk.drafts.submitted, kk.drafts.verified, kk.documents.signed dan kk.documents.archived; \
            balasannya dikirim lewat wa.outbound) beserta API petugas. Konfigurasi layanan: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (kesehatan \
            dan metrik, bawaan 9101), KK_API_PORT (API petugas, bawaan 9201), \
            KK_APPLICANT_MEMBERS (siapa yang boleh mengajukan permohonan KK sebuah keluarga: adult, yakni anggota keluarga dewasa, \
            sebagai bawaan; atau head, yakni hanya kepala keluarga), KK_RETENTION_DOCUMENT_DAYS dan KK_RETENTION_CONVERSATION_DAYS \
            (dicantumkan dalam pemberitahuan privasi; bawaan 30 dan 90 hari).

            Perintah lainnya untuk Petugas Unit Layanan & Entri dan hanya terhubung ke API petugas (tanpa \
            kredensial basis data): masuk dengan `kk-intake login <nama>` (atau isi KK_OFFICER dan \
            KK_OFFICER_PASSWORD_FILE); alamat layanan diambil dari --server, KK_INTAKE_URL atau KK_API_URL.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKIntake>.self, LogoutCommand<KKIntake>.self, WhoAmICommand<KKIntake>.self,
            Queue.self, RequestShowCommand<IntakeShow>.self, Chat.self, Reply.self, MediaCommand<KKIntake>.self, Take.self, Open.self,
            IncompleteReturnCommand<ReturnIncomplete>.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan penerimaan berkas dan API petugasnya (untuk operator).")

        func run() async throws {
            let policy = try IntakePolicy.configured()
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: IntakeHandler.name, defaultHTTPPort: 9101,
                    consumes: [.waInbound, .requestsReturned, .draftsSubmitted, .draftsVerified, .documentsSigned, .documentsArchived],
                    officerAPI: OfficerAPI(
                        service: .intake,
                        operations: [
                            IntakeQueue.self, IntakeShow.self, RequestMedia<KKIntake>.self, TakeForIntake.self, OpenRequest.self,
                            ReturnIncomplete.self, IntakeChat.self, ReplyToApplicant.self,
                        ]),
                    pseudonymizesApplicants: true,
                    makeHandler: { context in IntakeHandler(logger: context.logger, policy: policy) }))
        }
    }
}
