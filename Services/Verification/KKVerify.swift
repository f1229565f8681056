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
            `serve` runs the daemon (consumes kk.drafts.submitted into the Kasi/Kabid's queue) and the officer API.
            Configuration of the daemon: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (health and metrics,
            default 9103), KK_API_PORT (officer API, default 9203).
            The other commands are for the Kasi/Kabid and talk to the officer API only (no database credential):
            sign in with `kk-verify login <nama>` (or set KK_OFFICER and KK_OFFICER_PASSWORD_FILE); the service's
            address comes from --server, KK_VERIFY_URL or KK_API_URL. Nobody who entered the data may verify it
            (four eyes). `release` and `reassign` move a request another officer has taken (any queue).
            """,
        subcommands: [
            Serve.self, LoginCommand<KKVerify>.self, LogoutCommand<KKVerify>.self, WhoAmICommand<KKVerify>.self,
            Queue.self, RequestShowCommand<VerificationShow>.self, MediaCommand<KKVerify>.self, Take.self, Approve.self, Reject.self, Release.self,
            Reassign.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the verification daemon and its officer API.")

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
