import Foundation
import KKConfiguration
import KKHealth
import KKLogging
import KKMessaging
import KKOfficerAPI
import KKOfficers
import KKStore
import Kafka
import Logging
import Metrics
import Postgres
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Runs a service as a daemon (`kk-<name> serve`): configuration from the
/// environment, JSON logs, Prometheus metrics, the health endpoints, the outbox
/// relay and the consumer loop, with a graceful shutdown on SIGTERM or SIGINT.
///
/// Shutdown goes in reverse order of start: the consumer stops taking messages
/// and finishes the one in hand, then the relay, then the HTTP endpoints; the
/// producer is flushed and the database pool closed last.
public enum ServiceRunner {
    public static func run(_ definition: ServiceDefinition) async throws {
        var environment = try ServiceEnvironment(defaultHTTPPort: definition.defaultHTTPPort, defaultConsumerLanes: definition.defaultConsumerLanes)
        environment.databaseURL = ConnectionString.naming(environment.databaseURL, application: definition.name)
        LoggingSetup.bootstrap(service: definition.name, format: environment.logFormat, level: environment.logLevel)
        let registry = PrometheusCollectorRegistry()
        var metrics = PrometheusMetricsFactory(registry: registry)
        metrics.durationHistogramBuckets[StepLatencyHistograms.label] = StepLatencyHistograms.buckets
        MetricsSystem.bootstrap(metrics)
        let logger = Logger(label: definition.name)
        try LibrdkafkaVersion.check()
        try OfficeHours.configure(environment: environment.raw)
        try OfficeIdentity.configure(environment: environment.raw)
        let pseudonymKey = definition.pseudonymizesApplicants ? try ApplicantPseudonym.configure(environment: environment.raw) : nil

        let readiness = Readiness()
        let liveness = Liveness(stallLimit: .seconds(try environment.livenessStallSeconds()))
        let gaugeInterval = try EnvironmentReader(environment.raw).milliseconds("KK_GAUGE_INTERVAL_MS", default: 5000, range: 10...3_600_000)
        // A recovery (`kk-admin recover`) counts an instance live when it was heard from within 15 s.
        let brokerWatchInterval = try EnvironmentReader(environment.raw).milliseconds("KK_BROKER_WATCH_MS", default: 2000, range: 100...10_000)
        let pool = try await connectDatabase(environment, logger: logger)
        try await ProjectMigrations.requireCurrent(pool: pool)
        if let pseudonymKey { try await ApplicantRekeying.requireCurrentKey(pseudonymKey, pool: pool) }
        readiness.set("database", ready: true)

        var kafka = KafkaConfiguration(brokers: environment.kafkaBrokers, clientID: definition.name)
        kafka.properties = environment.kafkaProperties
        let producer = try await KafkaProducer(configuration: KafkaProducerConfiguration(kafka), logger: logger)
        let context = ServiceContext(
            name: definition.name, environment: environment, pool: pool, producer: producer, logger: logger, readiness: readiness,
            liveness: liveness)

        let relay = OutboxRelay(
            source: definition.name, databaseURL: environment.databaseURL, pool: pool, producer: producer, logger: logger, readiness: readiness,
            liveness: liveness, topicPrefix: environment.topicPrefix)
        var services: [any Service] = [
            ObservabilityServer.application(
                host: environment.httpHost, port: environment.httpPort, readiness: readiness, liveness: liveness, registry: registry,
                logger: logger),
            relay,
        ]
        services.append(
            BacklogGauges(pool: pool, source: definition.name, queue: definition.officerQueue, interval: gaugeInterval, logger: logger))
        if let steps = StepLatencyHistograms(service: definition.name, pool: pool, interval: gaugeInterval, logger: logger) {
            services.append(steps)
        }
        if let api = definition.officerAPI {
            let apiPort = try environment.apiPort(default: api.service.defaultAPIPort)
            let policy = try SessionPolicy(reading: environment.raw)
            services.append(api.application(host: environment.apiHost, port: apiPort, pool: pool, policy: policy, logger: logger, producer: producer))
            logger.info("officer API on port \(apiPort)", metadata: ["api-port": "\(apiPort)"])
        }
        services += try await definition.extraServices(context)
        var consumer: KafkaConsumer?
        if !definition.consumes.isEmpty {
            var configuration = KafkaConsumerConfiguration(
                kafka, groupID: environment.topicPrefix + definition.name, topics: definition.consumes.map { environment.topicPrefix + $0 })
            configuration.fetchWaitMax = environment.kafkaFetchWait
            let made = try await KafkaConsumer(configuration: configuration, logger: logger)
            consumer = made
            let handler = try await definition.makeHandler(context)
            services.append(
                MessageConsumer(
                    name: definition.name, consumer: made, pool: pool, handler: handler, logger: logger, readiness: readiness, liveness: liveness,
                    lanes: environment.consumerLanes, relay: relay))
        }
        // Declared after the consumer, so they stop before it, while it is still open.
        services.append(
            BrokerGenerationWatch(service: definition.name, pool: pool, producer: producer, consumer: consumer, interval: brokerWatchInterval, logger: logger))
        if let consumer {
            services.append(
                ConsumerLagGauge(
                    consumer: consumer, name: definition.name,
                    topics: definition.consumes.map { (environment.topicPrefix + $0, $0) }, interval: gaugeInterval, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info("\(definition.name) started", metadata: ["http-port": "\(environment.httpPort)"])
        do {
            try await group.run()
        } catch {
            logger.error("\(definition.name) stopped with an error", metadata: ["error": "\(error)"])
            await producer.close()
            await pool.close()
            throw error
        }
        await producer.close()
        await pool.close()
        logger.info("\(definition.name) stopped cleanly")
    }
}
