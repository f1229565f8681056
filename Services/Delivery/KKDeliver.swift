import ArgumentParser
import Foundation
import KKRuntime

@main
struct KKDeliver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-deliver",
        abstract: "Pengiriman (SOP 8-9): KK PDF ke WhatsApp pemohon dengan pemberitahuan; antrean Petugas Cetak untuk yang gagal.",
        discussion: """
            `serve` runs the daemon: consumes kk.documents.signed (sends the PDF and the notice on wa.outbound) and
            wa.status (a confirmed delivery publishes kk.documents.delivered); unconfirmed sends are retried.
            The other commands are for the Petugas Cetak (sign in with `kk-admin login`).
            Configuration: KK_DELIVERY_CONFIRM_SECONDS (wait for WhatsApp's confirmation, default 600),
            KK_DELIVERY_ATTEMPTS (default 3), KK_DELIVERY_POLL_MS (default 5000), KK_DATABASE_URL, KK_KAFKA_BROKERS,
            KK_HTTP_PORT (daemon health and metrics, default 9105).
            """,
        subcommands: [Serve.self, Queue.self, Download.self, Resend.self, Status.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the delivery daemon.")

        func run() async throws {
            let settings = DeliveryAttempt.Settings.from()
            let poll = ProcessInfo.processInfo.environment["KK_DELIVERY_POLL_MS"].flatMap(Int.init) ?? 5000
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: DeliveryHandler.name, defaultHTTPPort: 9105, consumes: [.documentsSigned, .waStatus], officerQueue: .delivery,
                    makeHandler: { context in DeliveryHandler(logger: context.logger, settings: settings) },
                    extraServices: { context in
                        [DeliveryScheduler(pool: context.pool, settings: settings, interval: .milliseconds(poll), logger: context.logger)]
                    }))
        }
    }
}
