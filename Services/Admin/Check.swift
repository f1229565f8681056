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
        abstract: "Periksa versi librdkafka, broker dan basis data, lalu laporkan apa yang perlu diperbaiki.")

    @Option(help: "Berapa detik menunggu broker dan basis data.") var timeout = 5

    func run() async throws {
        let logger = CLILogger.make("kk-admin")
        do {
            try LibrdkafkaVersion.check()
        } catch {
            throw CLIFailure("\(error)")
        }
        print("librdkafka \(LibrdkafkaVersion.linked) sesuai (>= \(LibrdkafkaVersion.minimum))")
        let env = try CLIEnvironment.load()
        var kafka = env.kafka(clientID: "kk-admin")
        kafka.connectTimeout = .seconds(timeout)
        do {
            let admin = try await KafkaAdmin(configuration: kafka, logger: logger)
            let topics = try await admin.topics()
            print("broker \(env.kafkaBrokers) terhubung (\(topics.count) topik)")
        } catch {
            throw CLIFailure("\(error)")
        }
        do {
            let connection = try await PostgresConnection.connect(url: env.databaseURL, logger: logger)
            _ = try await connection.query("SELECT 1 AS ok")
            await connection.close()
            print("basis data terhubung")
        } catch {
            throw CLIFailure("\(error)")
        }
    }
}
