import Foundation

/// Settings every Kafka client shares, plus a pass-through for any
/// librdkafka property (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md).
public struct KafkaConfiguration: Sendable {
    /// `host:port` of one or more brokers. Prefer `127.0.0.1` to `localhost`
    /// for local brokers that listen on IPv4 only.
    public var bootstrapServers: [String]
    /// Identifies this process in broker logs and metrics.
    public var clientID: String
    /// How long start-up waits for a broker before failing.
    public var connectTimeout: Duration
    /// Any other librdkafka property; applied last, so it wins.
    public var properties: [String: String]

    public init(
        bootstrapServers: [String],
        clientID: String = "kk",
        connectTimeout: Duration = .seconds(5),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.connectTimeout = connectTimeout
        self.properties = properties
    }

    /// Parses a comma-separated broker list such as `KK_KAFKA_BROKERS`.
    public init(brokers: String, clientID: String = "kk") {
        self.init(
            bootstrapServers: brokers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            clientID: clientID)
    }

    var brokerList: String { bootstrapServers.joined(separator: ",") }

    var baseProperties: [String: String] {
        [
            "bootstrap.servers": brokerList,
            "client.id": clientID,
            "socket.connection.setup.timeout.ms": String(connectTimeout.milliseconds),
            // One message per hop is latency-bound: send each request at once, never wait on Nagle.
            "socket.nagle.disable": "true",
            // No client metrics pushed to the broker (KIP-714): the services export their own, and
            // librdkafka's telemetry timer draws OpenSSL randomness on its own thread, which crashed
            // short-lived processes (`kk-admin topics create`) when it ran after OpenSSL's exit handlers.
            "enable.metrics.push": "false",
        ]
    }
}

/// A producer that waits for every in-sync replica (`acks=all`) with
/// idempotence on, so a retry never writes a message twice.
public struct KafkaProducerConfiguration: Sendable {
    public var common: KafkaConfiguration
    /// How long librdkafka keeps trying to deliver one message.
    public var messageTimeout: Duration = .seconds(30)
    /// How long to wait to fill a batch; small keeps latency low.
    public var linger: Duration = .milliseconds(2)
    /// `none`, `gzip`, `snappy`, `lz4` or `zstd`.
    public var compression: String = "lz4"

    public init(_ common: KafkaConfiguration) {
        self.common = common
    }

    var properties: [String: String] {
        var p = common.baseProperties
        p["acks"] = "all"
        p["enable.idempotence"] = "true"
        p["message.timeout.ms"] = String(messageTimeout.milliseconds)
        p["linger.ms"] = String(linger.milliseconds)
        p["compression.codec"] = compression
        return p.merging(common.properties) { _, explicit in explicit }
    }
}

/// A member of a consumer group. Offsets are stored only for messages the
/// caller marks processed, so neither the periodic commit nor a rebalance
/// ever commits an unprocessed offset.
public struct KafkaConsumerConfiguration: Sendable {
    public enum OffsetReset: String, Sendable {
        case earliest, latest
    }

    public var common: KafkaConfiguration
    public var groupID: String
    public var topics: [String]
    /// Where a group with no committed offset starts.
    public var autoOffsetReset: OffsetReset = .earliest
    /// A member silent this long is removed from the group.
    public var sessionTimeout: Duration = .seconds(10)
    /// A member that does not poll this long is removed from the group.
    public var maxPollInterval: Duration = .seconds(300)
    /// How often stored (processed) offsets are committed in the background.
    public var autoCommitInterval: Duration = .seconds(1)
    /// Most messages handed over per hop from librdkafka's thread.
    public var batchSize: Int = 256
    /// How long the broker may hold a fetch that found nothing new
    /// (`fetch.wait.max.ms`). Apache Kafka answers a waiting fetch as soon as a
    /// message arrives, so there this only bounds how often an idle consumer
    /// asks (10 times a second); a broker that holds every fetch for the whole
    /// wait (Tansu, the local stack's) adds up to this much to every hop, so the
    /// local stack sets it to 10 ms (`KK_KAFKA_FETCH_WAIT_MS`).
    public var fetchWaitMax: Duration = .milliseconds(100)
    /// The pause after a fetch error before the next (`fetch.error.backoff.ms`, librdkafka's default 500 ms).
    public var fetchErrorBackoff: Duration = .milliseconds(50)

    public init(_ common: KafkaConfiguration, groupID: String, topics: [String]) {
        self.common = common
        self.groupID = groupID
        self.topics = topics
    }

    var properties: [String: String] {
        var p = common.baseProperties
        p["group.id"] = groupID
        p["auto.offset.reset"] = autoOffsetReset.rawValue
        p["enable.auto.commit"] = "true"
        p["enable.auto.offset.store"] = "false"
        p["auto.commit.interval.ms"] = String(autoCommitInterval.milliseconds)
        p["session.timeout.ms"] = String(sessionTimeout.milliseconds)
        p["max.poll.interval.ms"] = String(maxPollInterval.milliseconds)
        p["heartbeat.interval.ms"] = String(max(100, sessionTimeout.milliseconds / 3))
        p["enable.partition.eof"] = "false"
        p["fetch.wait.max.ms"] = String(fetchWaitMax.milliseconds)
        p["fetch.error.backoff.ms"] = String(fetchErrorBackoff.milliseconds)
        return p.merging(common.properties) { _, explicit in explicit }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
