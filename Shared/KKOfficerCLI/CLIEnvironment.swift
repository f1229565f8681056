import Foundation
import KKConfiguration
import Kafka

/// What every CLI reads from the environment, with an actionable error when missing.
public struct CLIEnvironment: Sendable {
    public let databaseURL: String
    public let kafkaBrokers: String
    /// librdkafka properties: `KK_KAFKA_PROPERTIES` and the SASL principal (see `ServiceEnvironment`).
    public let kafkaProperties: [String: String]

    /// The broker's configuration for a CLI's client (`clientID`, e.g. `kk-admin`).
    public func kafka(clientID: String) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(brokers: kafkaBrokers, clientID: clientID)
        configuration.properties = kafkaProperties
        return configuration
    }

    public static func load(
        needsDatabase: Bool = true, needsKafka: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CLIEnvironment {
        do {
            let db =
                needsDatabase
                ? try ServiceEnvironment.required("KK_DATABASE_URL", in: environment, example: "postgresql://kk:secret@127.0.0.1:54329/kk") : ""
            let kafka =
                needsKafka
                ? try ServiceEnvironment.required("KK_KAFKA_BROKERS", in: environment, example: "127.0.0.1:19092") : ""
            let properties = needsKafka ? try ServiceEnvironment.kafkaProperties(in: environment) : [:]
            return CLIEnvironment(databaseURL: db, kafkaBrokers: kafka, kafkaProperties: properties)
        } catch {
            throw CLIFailure(error.description)
        }
    }
}
