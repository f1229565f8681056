import Foundation
import KKStore
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// Keeps this process's Kafka clients on the broker's newest generation.
///
/// Every `interval` it reports the process in `service_instances` (a heartbeat,
/// with the generation its clients are on) and reads the newest generation
/// `kk-admin recover` recorded. When that is newer, the broker lost its data and
/// came back: the producer and the consumer are replaced in place (librdkafka
/// keeps a lost topic's id, librdkafka#4898), which used to need every service
/// stopped and started by hand. At a graceful stop the process removes its row,
/// so a recovery does not wait for it.
public struct BrokerGenerationWatch: Service {
    let instance: ServiceInstance
    let pool: PostgresPool
    let producer: KafkaProducer
    let consumer: KafkaConsumer?
    let interval: Duration
    let logger: Logger

    public init(
        service: String, pool: PostgresPool, producer: KafkaProducer, consumer: KafkaConsumer?, interval: Duration, logger: Logger
    ) {
        self.instance = ServiceInstance(
            id: UUID(), service: service, host: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
            startedAt: Date())
        self.pool = pool
        self.producer = producer
        self.consumer = consumer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // Clients made at start-up are on the generation current then.
        var generation: Int64?
        await Periodic.run(every: interval, logger: logger, failure: "broker generation check failed; trying again") {
            let current: Int64
            if let generation { current = generation } else { current = try await BrokerGenerations.newest(on: pool) }
            generation = current
            let newest = try await ServiceInstances.heartbeat(instance, generation: current, on: pool)
            guard newest > current else { return }
            logger.notice(
                "the broker was recovered after losing its data; replacing the Kafka clients",
                metadata: ["broker-generation": "\(newest)"])
            try await producer.reconnect()
            try await consumer?.reconnect()
            generation = newest
            _ = try await ServiceInstances.heartbeat(instance, generation: newest, on: pool)
            logger.notice("Kafka clients replaced", metadata: ["broker-generation": "\(newest)"])
        }
        do { try await ServiceInstances.remove(instance.id, on: pool) } catch {
            logger.notice("could not remove this instance's heartbeat row; it expires by itself", metadata: ["error": "\(error)"])
        }
    }
}
