import KKConfiguration
import KKHealth
import KKMessaging
import KKStore
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// What a service's step gets to do its work.
public struct ServiceContext: Sendable {
    public let name: String
    public let environment: ServiceEnvironment
    public let pool: PostgresPool
    public let producer: KafkaProducer
    public let logger: Logger
    public let readiness: Readiness
    /// Where a long-running part reports its units of work (`/health/live`).
    public let liveness: Liveness
}

/// A daemon's description: its name, the topics it consumes and its step.
public struct ServiceDefinition: Sendable {
    /// The executable's name, also its consumer group and outbox source, e.g. `kk-entry`.
    public let name: String
    public let defaultHTTPPort: Int
    /// Topic names; normally `Topic` cases.
    public let consumes: [String]
    public let makeHandler: @Sendable (ServiceContext) async throws -> any MessageHandler
    /// More long-running parts (e.g. the gateway's webhook server), started before the consumer.
    public let extraServices: @Sendable (ServiceContext) async throws -> [any Service]
    /// The officer queue this service fills, exported as `kk_officer_queue_depth`.
    public var officerQueue: OfficerQueue?
    /// The officer operations it serves over HTTP (`KK_API_PORT`), if any.
    public var officerAPI: OfficerAPI?
    /// Whether it gives applicants their pseudonymous ids (kk-gateway, kk-intake): it then
    /// refuses to start without the key, or with one the applicants on record were not given theirs with.
    public var pseudonymizesApplicants = false
    /// Partitions its consumer works on at once unless `KK_CONSUMER_LANES` says otherwise.
    public var defaultConsumerLanes = 4

    public init(
        name: String, defaultHTTPPort: Int, consumes: [Topic], officerQueue: OfficerQueue? = nil, officerAPI: OfficerAPI? = nil,
        pseudonymizesApplicants: Bool = false, makeHandler: @escaping @Sendable (ServiceContext) async throws -> any MessageHandler,
        extraServices: @escaping @Sendable (ServiceContext) async throws -> [any Service] = { _ in [] }
    ) {
        self.init(
            name: name, defaultHTTPPort: defaultHTTPPort, topicNames: consumes.map(\.rawValue), makeHandler: makeHandler,
            extraServices: extraServices)
        self.officerQueue = officerQueue
        self.officerAPI = officerAPI
        self.pseudonymizesApplicants = pseudonymizesApplicants
    }

    public init(
        name: String, defaultHTTPPort: Int, topicNames: [String],
        makeHandler: @escaping @Sendable (ServiceContext) async throws -> any MessageHandler,
        extraServices: @escaping @Sendable (ServiceContext) async throws -> [any Service] = { _ in [] }
    ) {
        self.name = name
        self.defaultHTTPPort = defaultHTTPPort
        self.consumes = topicNames
        self.makeHandler = makeHandler
        self.extraServices = extraServices
    }
}
