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
            `serve` runs the daemon (consumes kk.requests.accepted into the entry queue) and the officer API.
            Configuration of the daemon: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (health and metrics,
            default 9102), KK_API_PORT (officer API, default 9202).
            The other commands are for the Petugas Unit Layanan & Entri and talk to the officer API only (no
            database credential): sign in with `kk-entry login <nama>` (or set KK_OFFICER and
            KK_OFFICER_PASSWORD_FILE); the service's address comes from --server, KK_ENTRY_URL or KK_API_URL.
            Usual order: queue, show, take <no> --kk <nomor KK>, enter ..., submit.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKEntry>.self, LogoutCommand<KKEntry>.self, WhoAmICommand<KKEntry>.self,
            Queue.self, Show.self, MediaCommand<KKEntry>.self, Take.self, Enter.self, IncompleteReturnCommand<ReturnDuringEntry>.self, Submit.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the data-entry daemon and its officer API.")

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
