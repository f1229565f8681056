import ArgumentParser
import Foundation
import KKConfiguration
import KKLogging
import KKMessaging
import KKOfficerCLI
import Kafka

/// `kk-admin topics create|list`.
struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create (idempotently) or list the pipeline's Kafka topics.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create every topic of the pipeline that does not exist yet.")
        @Option(help: "Replication factor (1 for a single broker).") var replicationFactor = 1

        func run() async throws {
            let env = try CLIEnvironment.load(needsDatabase: false)
            let admin = try await KafkaAdmin(configuration: env.kafka(clientID: "kk-admin"), logger: CLILogger.make("kk-admin"))
            // The same namespace the services use (KK_TOPIC_PREFIX), so one cluster can hold several environments.
            let prefix: String
            do { prefix = try ServiceEnvironment.topicPrefix() } catch { throw CLIFailure(error.description) }
            let outcome = try await admin.createTopics(
                Topic.allCases.map { .init(name: prefix + $0.rawValue, partitions: $0.partitions, replicationFactor: replicationFactor) })
            for topic in Topic.allCases {
                let name = prefix + topic.rawValue
                print("\(name): \(outcome[name] == .created ? "created" : "exists") (\(topic.partitions) partitions)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the topics and their partition counts.")

        func run() async throws {
            let env = try CLIEnvironment.load(needsDatabase: false)
            let admin = try await KafkaAdmin(configuration: env.kafka(clientID: "kk-admin"), logger: CLILogger.make("kk-admin"))
            for (name, partitions) in try await admin.topics().sorted(by: { $0.key < $1.key }) {
                print("\(name)\t\(partitions)")
            }
        }
    }
}
