import ArgumentParser
import Foundation
import KKLogging
import KKOfficerCLI
import Kafka
import Logging
import Postgres

/// `kk-admin check`: can this machine run the services? Fails fast with what to do.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check librdkafka's version, the broker and the database, and report what to fix.")

    @Option(help: "Seconds to wait for the broker and the database.") var timeout = 5

    func run() async throws {
        let logger = CLILogger.make("kk-admin")
        do {
            try LibrdkafkaVersion.check()
        } catch {
            throw CLIFailure("\(error)")
        }
        print("librdkafka \(LibrdkafkaVersion.linked) ok (>= \(LibrdkafkaVersion.minimum))")
        let env = try CLIEnvironment.load()
        var kafka = env.kafka(clientID: "kk-admin")
        kafka.connectTimeout = .seconds(timeout)
        do {
            let admin = try await KafkaAdmin(configuration: kafka, logger: logger)
            let topics = try await admin.topics()
            print("broker \(env.kafkaBrokers) ok (\(topics.count) topics)")
        } catch {
            throw CLIFailure("\(error)")
        }
        do {
            let connection = try await PostgresConnection.connect(url: env.databaseURL, logger: logger)
            _ = try await connection.query("SELECT 1 AS ok")
            await connection.close()
            print("database ok")
        } catch {
            throw CLIFailure("\(error)")
        }
    }
}
