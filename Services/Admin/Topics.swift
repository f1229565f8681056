import ArgumentParser
import Foundation
import KKConfiguration
import KKLogging
import KKMessaging
import KKOfficerCLI
import Kafka
import Logging

/// `kk-admin topics create|list`.
struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Buat (aman diulang) atau tampilkan topik Kafka alur pemrosesan.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Buat setiap topik alur pemrosesan yang belum ada.")
        @Option(help: "Faktor replikasi (1 untuk satu broker).") var replicationFactor = 1

        func run() async throws {
            try await Topics.create(replicationFactor: replicationFactor, logger: CLILogger.make("kk-admin")).forEach { print($0) }
        }
    }

    /// `KK_TOPIC_PREFIX`, the namespace the services put before every topic; a malformed one is refused as the CLIs refuse.
    static func prefix() throws -> String {
        do { return try ServiceEnvironment.topicPrefix() } catch { throw CLIFailure(error.description) }
    }

    /// Creates every pipeline topic that does not exist yet, on the broker of
    /// `KK_KAFKA_BROKERS`, under `KK_TOPIC_PREFIX` (the namespace the services use,
    /// so one cluster can hold several environments). Returns a line per topic.
    static func create(replicationFactor: Int, logger: Logger) async throws -> [String] {
        let env = try CLIEnvironment.load(needsDatabase: false)
        let admin = try await KafkaAdmin(configuration: env.kafka(clientID: "kk-admin"), logger: logger)
        let prefix = try prefix()
        let outcome = try await admin.createTopics(
            Topic.allCases.map { .init(name: prefix + $0.rawValue, partitions: $0.partitions, replicationFactor: replicationFactor) })
        return Topic.allCases.map { topic in
            let name = prefix + topic.rawValue
            return "\(name): \(outcome[name] == .created ? "dibuat" : "sudah ada") (\(topic.partitions) partisi)"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tampilkan topik dan jumlah partisinya.")

        func run() async throws {
            let env = try CLIEnvironment.load(needsDatabase: false)
            let admin = try await KafkaAdmin(configuration: env.kafka(clientID: "kk-admin"), logger: CLILogger.make("kk-admin"))
            for (name, partitions) in try await admin.topics().sorted(by: { $0.key < $1.key }) {
                print("\(name)\t\(partitions)")
            }
        }
    }
}
