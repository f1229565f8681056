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
            `serve` runs the daemon: consumes kk.documents.signed (sends the PDF and the notice on wa.outbound) and
            wa.status (a confirmed delivery publishes kk.documents.delivered); unconfirmed sends are retried.
            The other commands are for the Petugas Cetak and talk to the officer API only (no database credential):
            sign in with `kk-deliver login <nama>` (or set KK_OFFICER and KK_OFFICER_PASSWORD_FILE); the service's
            address comes from --server, KK_DELIVER_URL or KK_API_URL.
            Configuration of the daemon: KK_DELIVERY_CONFIRM_SECONDS (wait for WhatsApp's confirmation, default 600),
            KK_DELIVERY_ATTEMPTS (default 3), KK_DELIVERY_POLL_MS (default 5000), KK_DELIVERY_MODE (automatic, the default:
            a signed KK is sent at once; print-officer: it waits in the print officer's queue for `kk-deliver send`, as the
            SOP writes step 8), KK_DATABASE_URL, KK_KAFKA_BROKERS,
            KK_HTTP_PORT (health and metrics, default 9105), KK_API_PORT (officer API, default 9205).
            """,
        subcommands: [
            Serve.self, LoginCommand<KKDeliver>.self, LogoutCommand<KKDeliver>.self, WhoAmICommand<KKDeliver>.self,
            Queue.self, Download.self, Send.self, Resend.self, Status.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the delivery daemon and its officer API.")

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
