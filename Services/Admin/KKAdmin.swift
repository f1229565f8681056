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
            "Administrators' and operators' CLI: officers, the family register, dead letters, replay, reports and audit; schema, topics and checks of the set-up.",
        discussion: """
            `serve` runs the administrators' API (KK_API_PORT, default 9207; health and metrics on KK_HTTP_PORT,
            default 9107). officer, register, request, sla, deadletter, replay and audit are its clients: sign in
            with `kk-admin login <nama>` as an administrator (or set KK_OFFICER and KK_OFFICER_PASSWORD_FILE); the
            address comes from --server, KK_ADMIN_URL or KK_API_URL. Every one of them is audited.
            retention shows or applies the retention schedule of personal data (kk-admin serve also applies it every
            KK_RETENTION_INTERVAL_SECONDS, default 3600; KK_RETENTION_DOCUMENT_DAYS, KK_RETENTION_CONVERSATION_DAYS).
            office-calendar shows the office's hours and holidays as the services read them (KK_OFFICE_CALENDAR_FILE).
            check, migrate, db-roles, topics, bootstrap-admin, mark-production and rekey-applicants are the operator's set-up and read
            KK_DATABASE_URL (the owner role) and KK_KAFKA_BROKERS (for the local stack:
            eval "$(bash deploy/local/stack.sh env)").
            """,
        subcommands: [
            Serve.self, LoginCommand<KKAdmin>.self, LogoutCommand<KKAdmin>.self, WhoAmICommand<KKAdmin>.self,
            OfficerCommand.self, RegisterCommand.self, RequestCommand.self, SLACommand.self, SatisfactionCommand.self, DeadLetterCommand.self,
            ReplayCommand.self,
            AuditCommand.self, Check.self, Migrate.self, DatabaseRolesCommand.self, Topics.self, BootstrapAdmin.self, MarkProduction.self, RekeyApplicants.self,
            OfficeCalendarCommand.self, RetentionCommand.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the administrators' API.")

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
                            ReplayInFlight.self, VerifyAuditChain.self, RetentionOperation.self,
                        ]),
                    makeHandler: { _ in throw CLIFailure("kk-admin consumes no topic.") },
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
