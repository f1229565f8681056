import ArgumentParser
import KKConfiguration
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKService

@main
struct KKAdmin: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.admin
    static let officerRoles: Set<Role> = [.admin]
    static let configuration = CommandConfiguration(
        commandName: "kk-admin",
        abstract:
            "CLI administrator sistem dan operator: petugas, register keluarga, pesan gagal, penerbitan ulang, laporan, log audit; skema, topik, pemeriksaan penyiapan.",
        discussion: """
            `serve` menjalankan API admin (KK_API_PORT, bawaan 9207; kesehatan dan metrik di KK_HTTP_PORT, bawaan \
            9107). officer, register, request, sla, deadletter, replay, recover dan audit adalah kliennya: masuk dengan \
            `kk-admin login <nama>` sebagai admin (atau isi KK_OFFICER dan KK_OFFICER_PASSWORD_FILE); alamatnya \
            dari --server, KK_ADMIN_URL atau KK_API_URL. Semua perintah itu tercatat di log audit.

            retention menampilkan atau menjalankan jadwal retensi data pribadi (kk-admin serve juga menjalankannya setiap \
            KK_RETENTION_INTERVAL_SECONDS, bawaan 3600; KK_RETENTION_DOCUMENT_DAYS, KK_RETENTION_CONVERSATION_DAYS).

            office-calendar menampilkan jam layanan dan hari libur kantor seperti dibaca layanan (KK_OFFICE_CALENDAR_FILE).

            check, migrate, db-roles, topics, bootstrap-admin, mark-production dan rekey-applicants adalah penyiapan oleh operator \
            dan membaca KK_DATABASE_URL (peran pemilik) dan KK_KAFKA_BROKERS (untuk tumpukan lokal: \
            eval "$(bash deploy/local/stack.sh env)").
            """,
        subcommands: [
            Serve.self, LoginCommand<KKAdmin>.self, LogoutCommand<KKAdmin>.self, WhoAmICommand<KKAdmin>.self,
            OfficerCommand.self, RegisterCommand.self, RequestCommand.self, SLACommand.self, SatisfactionCommand.self, DeadLetterCommand.self,
            ReplayCommand.self, RecoverCommand.self,
            AuditCommand.self, Check.self, Migrate.self, DatabaseRolesCommand.self, Topics.self, BootstrapAdmin.self, MarkProduction.self, RekeyApplicants.self,
            OfficeCalendarCommand.self, RetentionCommand.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan API admin (untuk operator).")

        func run() async throws {
            let schedule = try RetentionSchedule.configured()
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: "kk-admin", defaultHTTPPort: 9107, consumes: [],
                    officerAPI: OfficerAPI(
                        service: .admin,
                        operations: [
                            AddOfficer.self, ListOfficers.self, SetOfficerActive.self, SetOfficerRole.self, ResetOfficerPassword.self,
                            RevokeOfficerSessions.self, PendingOfficerChanges.self, DecideOfficerChange.self, SeedRegister.self, ShowFamily.self,
                            RequestTimelineOperation.self, SLAReportOperation.self, SatisfactionReportOperation.self, ListDeadLetters.self,
                            RetryDeadLetters.self, ListDeadWebhooks.self, RetryDeadWebhooks.self,
                            ReplayInFlight.self, RecoverFromBrokerLoss.self, VerifyAuditChain.self, RetentionOperation.self,
                        ]),
                    makeHandler: { _ in throw CLIFailure("kk-admin tidak membaca topik apa pun.") },
                    extraServices: { context in
                        [
                            RetentionJob.make(
                                pool: context.pool, schedule: schedule,
                                interval: try EnvironmentReader().seconds("KK_RETENTION_INTERVAL_SECONDS", default: 3600, range: 1...604_800),
                                logger: context.logger)
                        ]
                    }))
        }
    }
}
