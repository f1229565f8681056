import Foundation
import Postgres

/// A service's configuration, read from the environment (12-factor), so the
/// same binary runs locally, in compose and in Kubernetes.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `KK_DATABASE_URL` | PostgreSQL URL or conninfo | required |
/// | `KK_DATABASE_USER` / `KK_DATABASE_PASSWORD_FILE` | the service's own database role and its password, put into the URL | the URL's |
/// | `KK_KAFKA_BROKERS` | comma-separated `host:port` list | required |
/// | `KK_HTTP_HOST` / `KK_HTTP_PORT` | health and metrics endpoint | `0.0.0.0` / per service |
/// | `KK_API_HOST` / `KK_API_PORT` | the officer API of a service that has one (`OfficerAPI`) | `0.0.0.0` / per service |
/// | `KK_LOG_LEVEL` | trace, debug, info, notice, warning, error, critical | `info` |
/// | `KK_LOG_FORMAT` | `json` or `text` | `json` |
/// | `KK_DB_POOL_SIZE` | database connections per process | `4` |
/// | `KK_DB_STATEMENT_TIMEOUT_MS` / `KK_DB_LOCK_TIMEOUT_MS` / `KK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS` | the longest a statement, a lock wait, an open transaction left idle may take | `30000` / `10000` / `60000` |
/// | `KK_LIVENESS_STALL_SECONDS` | `/health/live` fails when one try at a message or one relay batch takes longer | `300` |
/// | `KK_STARTUP_DB_WAIT_SECONDS` | how long a starting service waits for the database before it exits | `60` |
/// | `KK_KAFKA_FETCH_WAIT_MS` | how long the broker may hold a consumer's empty fetch (`KafkaConsumerConfiguration.fetchWaitMax`; 10 on the local stack, whose broker always waits that long) | `100` |
/// | `KK_KAFKA_PROPERTIES` | extra librdkafka properties, `k=v;k=v` | none |
/// | `KK_BROKER_WATCH_MS` | how often the process reports itself and checks for a broker recovery (`kk-admin recover`, `BrokerGenerationWatch`) | `2000` |
/// | `KK_KAFKA_SASL_USERNAME` / `KK_KAFKA_SASL_PASSWORD_FILE` | the service's own Kafka principal (SCRAM-SHA-512) | none (no SASL) |
/// | `KK_TOPIC_PREFIX` | namespace for topic and consumer-group names (several environments on one cluster) | none |
public struct ServiceEnvironment: Sendable {
    public var databaseURL: String
    public var kafkaBrokers: String
    public var httpHost: String
    public var httpPort: Int
    /// Where a service with an officer API listens for officers' CLIs (`KK_API_HOST`).
    public var apiHost: String
    public var logLevel: String
    public var logFormat: String
    public var databasePoolSize: Int
    /// `KK_CONSUMER_LANES`: partitions a service's consumer works on at once (the service's default, normally 4).
    public var consumerLanes: Int
    /// What no service statement may exceed, so nothing hangs on a lock or a half-open
    /// socket: `statement_timeout` (`KK_DB_STATEMENT_TIMEOUT_MS`, default 30000),
    /// `lock_timeout` (`KK_DB_LOCK_TIMEOUT_MS`, 10000) and
    /// `idle_in_transaction_session_timeout` (`KK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS`, 60000).
    public var databaseSessionSettings: [(String, String)]
    public var kafkaProperties: [String: String]
    /// `KK_KAFKA_FETCH_WAIT_MS`: the consumers' `fetch.wait.max.ms`.
    public var kafkaFetchWait: Duration
    /// Put before every topic and consumer-group name, e.g. `staging.`.
    public var topicPrefix: String
    /// Every variable that was read, for `--help` and error messages.
    public let raw: [String: String]

    /// Reads the environment; throws naming the first missing or malformed variable.
    public init(
        defaultHTTPPort: Int, defaultConsumerLanes: Int = 4, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        raw = environment
        databaseURL = try Self.databaseURL(in: environment)
        try SecretValue.checkDatabaseURL(databaseURL)
        kafkaBrokers = try Self.required("KK_KAFKA_BROKERS", in: environment, example: "127.0.0.1:19092")
        httpHost = environment["KK_HTTP_HOST"] ?? "0.0.0.0"
        httpPort = try Self.integer("KK_HTTP_PORT", in: environment, default: defaultHTTPPort, range: 0...65535)
        apiHost = environment["KK_API_HOST"] ?? "0.0.0.0"
        let reader = EnvironmentReader(environment)
        logLevel = try reader.choice("KK_LOG_LEVEL", default: "info", allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        logFormat = try reader.choice("KK_LOG_FORMAT", default: "json", allowed: ["json", "text"])
        consumerLanes = try Self.integer("KK_CONSUMER_LANES", in: environment, default: defaultConsumerLanes, range: 1...64)
        // Each lane holds a connection while it works; the relay, the officer API and the gauges need theirs.
        databasePoolSize = try Self.integer("KK_DB_POOL_SIZE", in: environment, default: consumerLanes + 4, range: 1...128)
        databaseSessionSettings = [
            ("statement_timeout", String(try Self.integer("KK_DB_STATEMENT_TIMEOUT_MS", in: environment, default: 30_000, range: 100...3_600_000))),
            ("lock_timeout", String(try Self.integer("KK_DB_LOCK_TIMEOUT_MS", in: environment, default: 10_000, range: 100...3_600_000))),
            (
                "idle_in_transaction_session_timeout",
                String(try Self.integer("KK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", in: environment, default: 60_000, range: 1000...3_600_000))
            ),
        ]
        kafkaProperties = try Self.kafkaProperties(in: environment)
        kafkaFetchWait = try Self.kafkaFetchWait(in: environment)
        topicPrefix = try Self.topicPrefix(in: environment)
    }

    /// `KK_DATABASE_URL`, with the user of `KK_DATABASE_USER` and the password
    /// read from `KK_DATABASE_PASSWORD_FILE` when they are set (a deployment
    /// shares the server's address and gives each service its own role).
    public static func databaseURL(in env: [String: String]) throws(ConfigurationError) -> String {
        let url = try required("KK_DATABASE_URL", in: env, example: "postgresql://kk:secret@127.0.0.1:54329/kk")
        let user = env["KK_DATABASE_USER"].flatMap { $0.isEmpty ? nil : $0 }
        let passwordFile = env["KK_DATABASE_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        guard user != nil || passwordFile != nil else { return url }
        guard var components = URLComponents(string: url), url.hasPrefix("postgres") else {
            throw .invalid(
                variable: "KK_DATABASE_URL", value: ConnectionString.describe(url),
                expected: "a postgresql:// URL when KK_DATABASE_USER or KK_DATABASE_PASSWORD_FILE is set")
        }
        if let user { components.user = user }
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw .invalid(variable: "KK_DATABASE_PASSWORD_FILE", value: passwordFile, expected: "a readable file holding the role's password")
            }
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            try SecretValue.check(password, variable: "KK_DATABASE_PASSWORD_FILE", minimumLength: 12)
            components.password = password
        }
        return components.string ?? url
    }

    /// `KK_API_PORT`, for a service with an officer API (its own default otherwise).
    /// `KK_STARTUP_DB_WAIT_SECONDS`: how long a starting service waits for the database (default 60).
    public func startupDatabaseWait() throws(ConfigurationError) -> Int {
        try Self.integer("KK_STARTUP_DB_WAIT_SECONDS", in: raw, default: 60, range: 0...3600)
    }

    /// `KK_LIVENESS_STALL_SECONDS`: see `Liveness`.
    public func livenessStallSeconds() throws(ConfigurationError) -> Int {
        try Self.integer("KK_LIVENESS_STALL_SECONDS", in: raw, default: 300, range: 1...86_400)
    }

    public func apiPort(default port: Int) throws(ConfigurationError) -> Int {
        try Self.integer("KK_API_PORT", in: raw, default: port, range: 0...65535)
    }

    /// `KK_TOPIC_PREFIX`, checked: services and `kk-admin topics create` must agree on it.
    public static func topicPrefix(in env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> String {
        let prefix = env["KK_TOPIC_PREFIX"] ?? ""
        guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw .invalid(variable: "KK_TOPIC_PREFIX", value: prefix, expected: "letters, digits, '.', '_' or '-'")
        }
        return prefix
    }

    package static func required(_ name: String, in env: [String: String], example: String) throws(ConfigurationError) -> String {
        try EnvironmentReader(env).required(name, example: example)
    }

    package static func integer(_ name: String, in env: [String: String], default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        try EnvironmentReader(env).integer(name, default: value, range: range)
    }

    /// `KK_KAFKA_FETCH_WAIT_MS` (1 to 5000, default 100).
    public static func kafkaFetchWait(in env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Duration {
        .milliseconds(try integer("KK_KAFKA_FETCH_WAIT_MS", in: env, default: 100, range: 1...5000))
    }

    /// `KK_KAFKA_PROPERTIES`, and with `KK_KAFKA_SASL_USERNAME` the principal's
    /// SCRAM-SHA-512 sign-in (its password read from `KK_KAFKA_SASL_PASSWORD_FILE`,
    /// refused when a placeholder or shorter than 12 characters); the protocol is
    /// SASL_PLAINTEXT unless `KK_KAFKA_PROPERTIES` says `security.protocol=SASL_SSL`.
    public static func kafkaProperties(in env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> [String: String] {
        var properties = try properties("KK_KAFKA_PROPERTIES", in: env)
        guard let username = env["KK_KAFKA_SASL_USERNAME"], !username.isEmpty else { return properties }
        let variable = "KK_KAFKA_SASL_PASSWORD_FILE"
        guard let path = env[variable], !path.isEmpty else {
            throw .missing(variable: variable, example: "/run/secrets/kafka_password (the password of \(username)'s SCRAM credential)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(variable: variable, value: path, expected: "a readable file holding the password")
        }
        let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try SecretValue.check(password, variable: variable, minimumLength: 12)
        properties["security.protocol"] = properties["security.protocol"] ?? "SASL_PLAINTEXT"
        properties["sasl.mechanism"] = properties["sasl.mechanism"] ?? "SCRAM-SHA-512"
        properties["sasl.username"] = username
        properties["sasl.password"] = password
        return properties
    }

    static func properties(_ name: String, in env: [String: String]) throws(ConfigurationError) -> [String: String] {
        guard let text = env[name], !text.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw .invalid(variable: name, value: String(pair), expected: "key=value pairs separated by ';'")
            }
            result[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}

/// A configuration problem, naming the variable and what to set.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(variable: String, example: String)
    case invalid(variable: String, value: String, expected: String)
    /// Still the template's placeholder: the real secret was never put in.
    case placeholder(variable: String)
    case tooShort(variable: String, minimumLength: Int)

    public var description: String {
        switch self {
        case let .missing(variable, example):
            return "The environment variable \(variable) is not set. Set it, e.g. \(variable)=\(example); "
                + "for the local stack run `bash deploy/local/stack.sh env` to print the values."
        case let .invalid(variable, value, expected):
            return "The environment variable \(variable) has the value '\(value)', but it must be \(expected)."
        case let .placeholder(variable):
            return "\(variable) still holds the template's placeholder (GANTI-... / PLACEHOLDER): put the real secret there "
                + "(see deploy/secrets/README.md or deploy/README.md) before starting the service."
        case let .tooShort(variable, minimumLength):
            return "\(variable) is shorter than \(minimumLength) characters: use the real secret (a long random value) before starting the service."
        }
    }
}
