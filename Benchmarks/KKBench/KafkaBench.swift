import ArgumentParser
import Foundation
import KKLoad
import Kafka
import Logging

struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka", abstract: "Produce and consume 1 KiB messages: Swift wrapper vs rdkafka_performance.")

    struct Options: ParsableArguments {
        @Option(help: "Messages per run.") var messages = 100_000
        @Option(help: "Message size in bytes.") var size = 1024
        @Option(help: "Path of rdkafka_performance (default: the one make setup built).")
        var rdkafkaPerformance: String?
    }

    @OptionGroup var options: Options

    func run() async throws {
        ComparisonRow.printTable(try await Self.measure(options))
    }

    static func measure(_ options: Options) async throws -> [ComparisonRow] {
        let brokers = try BenchEnvironment.require("KK_KAFKA_BROKERS")
        let tool = try options.rdkafkaPerformance ?? defaultTool()
        var logger = Logger(label: "kk-bench")
        logger.logLevel = .error
        let config = KafkaConfiguration(brokers: brokers, clientID: "kk-bench")
        let admin = try await KafkaAdmin(configuration: config, logger: logger)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let cTopic = "bench-c-\(suffix)"
        let swiftTopic = "bench-swift-\(suffix)"
        try await admin.createTopics([.init(name: cTopic, partitions: 1), .init(name: swiftTopic, partitions: 1)])
        let common = ["-b", brokers, "-X", "acks=all", "-X", "enable.idempotence=true", "-X", "linger.ms=5", "-X", "compression.codec=none"]

        print("kafka: producing \(options.messages) messages of \(options.size) bytes with rdkafka_performance ...")
        let cProduceOut = try BenchEnvironment.run(
            tool, ["-P", "-t", cTopic, "-s", String(options.size), "-c", String(options.messages), "-p", "0"] + common)
        let cProduce = BenchEnvironment.lastNumber(before: "msgs/s", in: cProduceOut) ?? 0

        print("kafka: producing with the Swift wrapper ...")
        var producerConfig = KafkaProducerConfiguration(config)
        producerConfig.linger = .milliseconds(5)
        producerConfig.compression = "none"
        let producer = try await KafkaProducer(configuration: producerConfig, logger: logger)
        let payload = [UInt8](repeating: 0x61, count: options.size)
        let start = ContinuousClock.now
        // Keep the producer's queue full the way rdkafka_performance does: two batches in flight.
        let batchSize = 10_000
        let batches = stride(from: 0, to: options.messages, by: batchSize).map { min(batchSize, options.messages - $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for n in batches {
                if inFlight == 2 {
                    try await group.next()
                    inFlight -= 1
                }
                let batch = [KafkaProducerMessage](
                    repeating: KafkaProducerMessage(topic: swiftTopic, key: nil as [UInt8]?, value: payload, partition: 0), count: n)
                group.addTask {
                    for result in await producer.send(batch) { _ = try result.get() }
                }
                inFlight += 1
            }
            try await group.waitForAll()
        }
        let swiftProduce = Double(options.messages) / (ContinuousClock.now - start).seconds
        await producer.close()

        print("kafka: consuming with rdkafka_performance ...")
        let cConsumeOut = try BenchEnvironment.run(
            tool,
            [
                "-C", "-G", "bench-c-\(suffix)", "-t", cTopic, "-c", String(options.messages), "-b", brokers,
                "-X", "auto.offset.reset=earliest",
            ])
        let cConsume = BenchEnvironment.lastNumber(before: "msgs/s", in: cConsumeOut) ?? 0

        print("kafka: consuming with the Swift wrapper ...")
        var consumerConfig = KafkaConsumerConfiguration(config, groupID: "bench-swift-\(suffix)", topics: [swiftTopic])
        consumerConfig.sessionTimeout = .seconds(6)
        consumerConfig.maxPollInterval = .seconds(10)
        let consumer = try await KafkaConsumer(configuration: consumerConfig, logger: logger)
        var count = 0
        var first: ContinuousClock.Instant?
        for try await message in consumer.messages {
            if first == nil { first = .now }
            try consumer.markProcessed(message)
            count += 1
            if count == options.messages { break }
        }
        let swiftConsume = Double(count) / (ContinuousClock.now - (first ?? .now)).seconds
        await consumer.close()

        return [
            ComparisonRow(name: "kafka produce (acks=all)", unit: "msg/s", swift: swiftProduce, reference: cProduce, referenceName: "rdkafka_performance"),
            ComparisonRow(name: "kafka consume (group)", unit: "msg/s", swift: swiftConsume, reference: cConsume, referenceName: "rdkafka_performance"),
        ]
    }

    static func defaultTool() throws -> String {
        let cache =
            ProcessInfo.processInfo.environment["KK_RDKAFKA_PREFIX"]
            ?? "\(NSHomeDirectory())/.cache/kk-sop/librdkafka-2.14.2"
        let path = "\(cache)/bin/rdkafka_performance"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("rdkafka_performance not found at \(path); run `make setup` or pass --rdkafka-performance")
        }
        return path
    }
}
