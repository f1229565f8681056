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
        abstract: "Intake (SOP 1-2): the applicant's WhatsApp conversation, and the service officer's queue.",
        discussion: """
            `serve` runs the daemon (consumes wa.inbound and kk.requests.returned, and tells the applicant of the
            later steps from kk.drafts.submitted, kk.drafts.verified, kk.documents.signed and kk.documents.archived;
            replies on wa.outbound) and the officer API. Configuration of the daemon: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (health and
            metrics, default 9101), KK_API_PORT (officer API, default 9201),
            KK_APPLICANT_MEMBERS (who may ask for a family's KK: adult, the default, or head), KK_RETENTION_DOCUMENT_DAYS and
            KK_RETENTION_CONVERSATION_DAYS (stated in the privacy notice; default 30 and 90).
            The other commands are for the Petugas Unit Layanan & Entri and talk to the officer API only (no
            database credential): sign in with `kk-intake login <nama>` (or set KK_OFFICER and
            KK_OFFICER_PASSWORD_FILE); the service's address comes from --server, KK_INTAKE_URL or KK_API_URL.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKIntake>.self, LogoutCommand<KKIntake>.self, WhoAmICommand<KKIntake>.self,
            Queue.self, RequestShowCommand<IntakeShow>.self, Chat.self, Reply.self, MediaCommand<KKIntake>.self, Take.self, Open.self,
            IncompleteReturnCommand<ReturnIncomplete>.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the intake daemon and its officer API.")

        func run() async throws {
            try ApplicantPseudonym.configure()
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
                    makeHandler: { context in IntakeHandler(logger: context.logger, policy: policy) }))
        }
    }
}
