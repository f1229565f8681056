import ArgumentParser
import Hummingbird
import KKConfiguration
import KKMessaging
import KKService
import Logging
import Postgres

@main
struct KKGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-gateway",
        abstract: "The WhatsApp Business Cloud API gateway: webhook in (to wa.inbound and wa.status), wa.outbound out.",
        discussion: """
            Configuration from the environment: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_WA_GRAPH_URL,
            KK_WA_PHONE_NUMBER_ID, KK_WA_TOKEN(_FILE), KK_WA_APP_SECRET(_FILE), KK_WA_VERIFY_TOKEN(_FILE),
            KK_WA_MEDIA_LIMIT_BYTES, KK_GATEWAY_PORT (webhook, default 8080), KK_HTTP_PORT (health and metrics, default 9100);
            KK_CONSUMER_LANES (default 12: every wa.outbound partition sends at once);
            limits per number: KK_WA_MESSAGES_PER_MINUTE (20), KK_WA_BYTES_PER_DAY (200 MiB), KK_WA_UNATTACHED_MEDIA_HOURS (24);
            sends: KK_WA_SEND_ATTEMPTS (6), KK_WA_SEND_BUDGET_SECONDS (60), KK_WA_IN_DOUBT_WAIT_SECONDS (30); KK_WA_DOWNLOADS (4 at once);
            the webhook inbox: KK_WA_INBOX_WORKERS (8), KK_WA_INBOX_ATTEMPTS (12), KK_WA_INBOX_RETRY_MS (1000), KK_WA_INBOX_LEASE_SECONDS (30),
            KK_WA_INBOX_POLL_MS (1000); KK_WA_HTTP_TIMEOUT_SECONDS (30, the longest one Graph API call may take).
            """,
        subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the gateway as a daemon.")

        func run() async throws {
            let wa = try GatewayConfiguration()
            var definition = ServiceDefinition(
                name: "kk-gateway", defaultHTTPPort: 9100, consumes: [.waOutbound], pseudonymizesApplicants: true,
                makeHandler: { context in
                    OutboundSender(configuration: wa, graph: wa.graphClient, logger: context.logger)
                },
                extraServices: { context in
                    let recorder = InboundRecorder(configuration: wa, pool: context.pool, logger: context.logger)
                    let inbox = WebhookInbox(pool: context.pool)
                    let doorbell = Doorbell()
                    let router = WebhookRoutes.router(configuration: wa, inbox: inbox, doorbell: doorbell, logger: context.logger)
                    return [
                        WebhookInboxWorker(
                            inbox: inbox, recorder: recorder, doorbell: doorbell, settings: wa.inbox, liveness: context.liveness, logger: context.logger),
                        WebhookInboxWorker.gauges(inbox: inbox, interval: .seconds(5), logger: context.logger),
                        Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: wa.port)), logger: context.logger),
                        UnattachedMediaPurge.make(pool: context.pool, hours: wa.unattachedMediaHours, interval: wa.purgeInterval, logger: context.logger),
                    ]
                })
            // A send waits on Meta's Graph API, not on this machine: every wa.outbound partition sends at once.
            definition.defaultConsumerLanes = Topic.waOutbound.partitions
            try await ServiceRunner.run(definition)
        }
    }
}
