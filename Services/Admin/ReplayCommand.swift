import ArgumentParser
import Foundation
import Kafka
import KKRuntime
import Postgres

/// `kk-admin replay`: re-publish the in-flight requests' messages after the broker lost its data.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Publish again, from PostgreSQL, the messages of every request still in flight (for a broker that lost its data).",
        discussion: """
            Run it after the broker is back and `kk-admin topics create` made the topics again. Every service skips
            what it already processed, so no step is done twice, and each request whose message was lost moves on
            to its next step. Safe to run more than once. Reads KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_TOPIC_PREFIX.
            """)
    @Flag(help: "Only say what would be published.") var dryRun = false

    func run() async throws {
        let env = try CLIEnvironment.load()
        let prefix: String
        do { prefix = try ServiceEnvironment.topicPrefix() } catch { throw CLIFailure(error.description) }
        let logger = CLILogger.make("kk-admin")
        try await withPool { pool in
            let replay = OutboxReplay(pool: pool, topicPrefix: prefix)
            if dryRun {
                let (requests, messages) = try await replay.plan()
                print("\(requests) permohonan dalam proses; \(messages.count) pesan akan diterbitkan ulang.")
                for (topic, count) in Dictionary(grouping: messages, by: \.topic).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                    print("  \(topic): \(count)")
                }
                return
            }
            let producer = try await KafkaProducer(
                configuration: KafkaProducerConfiguration(KafkaConfiguration(brokers: env.kafkaBrokers, clientID: "kk-admin-replay")), logger: logger)
            do {
                let summary = try await replay.run(producer: producer)
                await producer.close()
                print("\(summary.requests) permohonan dalam proses; \(summary.messages.values.reduce(0, +)) pesan diterbitkan ulang.")
                for (topic, count) in summary.messages.sorted(by: { $0.key < $1.key }) { print("  \(prefix)\(topic): \(count)") }
            } catch let error as ReplayError {
                await producer.close()
                throw CLIFailure(error.description)
            }
        }
    }
}
