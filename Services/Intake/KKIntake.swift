import ArgumentParser
import KKRuntime

@main
struct KKIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-intake",
        abstract: "Intake (SOP 1-2): the applicant's WhatsApp conversation, and the service officer's queue.",
        discussion: """
            `serve` runs the daemon (consumes wa.inbound and kk.requests.returned, replies on wa.outbound).
            The other commands are for the Petugas Unit Layanan & Entri; sign in first with `kk-admin login`
            (or set KK_OFFICER and KK_OFFICER_PASSWORD_FILE). Configuration: KK_DATABASE_URL, KK_KAFKA_BROKERS,
            KK_HTTP_PORT (health and metrics of the daemon, default 9101).
            """,
        subcommands: [Serve.self, Queue.self, Show.self, Media.self, Open.self, Return.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the intake daemon.")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: IntakeHandler.name, defaultHTTPPort: 9101, consumes: [.waInbound, .requestsReturned],
                    makeHandler: { context in IntakeHandler(logger: context.logger) }))
        }
    }
}
