import AsyncAlgorithms
import Foundation
import KKDomain
import KKHealth
import KKLogging
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// The loop every service runs: consume a message, then in one PostgreSQL
/// transaction skip it if the inbox has it, run the step, and write the
/// outgoing messages to the outbox; commit; then mark the Kafka offset.
///
/// - A message that cannot be decoded, or that the step refuses, goes to
///   `kk.deadletter` (through the outbox) with the reason and its original
///   bytes; the consumer moves on.
/// - A transient failure is retried with backoff and the offset is not marked,
///   so nothing is lost if the process dies meanwhile: for as long as the
///   database or broker is away, and `maxTries` times for anything else (a
///   deadlock, a lock or statement timeout, a remote outcome still unknown);
///   then the message is dead-lettered with the last error and its partition
///   moves on.
/// - With `lanes` above one, partitions are worked on side by side: each
///   partition belongs to one lane, which takes its messages in order and marks
///   each offset only after its transaction committed, so order per key (a key
///   always maps to one partition) and "nothing lost" hold as with one lane,
///   while a burst on one partition, or a slow step, no longer holds up the
///   others.
public final class MessageConsumer: Service, Sendable {
    public let name: String
    private let consumer: KafkaConsumer
    private let pool: PostgresPool
    private let handler: any MessageHandler
    private let logger: Logger
    private let readiness: Readiness?
    private let liveness: Liveness?
    private let processed: Counter
    private let failed: Counter
    private let deadLettered: Counter
    private let latency: Metrics.Timer
    private let maxTries: Int
    private let lanes: Int
    /// This service's relay, woken after each commit that wrote to the outbox.
    private let relay: OutboxRelay?
    /// Messages fetched ahead for each lane while it works on one.
    static let laneBuffer = 32

    /// - Parameter name: the consumer's name in the inbox (usually the service name).
    /// - Parameter maxTries: tries of a message that keeps failing for a reason other than an outage.
    /// - Parameter lanes: partitions worked on at once (`KK_CONSUMER_LANES`); each needs a database connection.
    /// - Parameter relay: the relay of `name`'s outbox in this process, woken after a commit instead of by a notification.
    public init(
        name: String, consumer: KafkaConsumer, pool: PostgresPool, handler: any MessageHandler,
        logger: Logger, readiness: Readiness? = nil, liveness: Liveness? = nil, maxTries: Int = 10, lanes: Int = 1,
        relay: OutboxRelay? = nil
    ) {
        self.relay = relay
        self.liveness = liveness
        self.lanes = max(1, lanes)
        self.maxTries = max(1, maxTries)
        self.name = name
        self.consumer = consumer
        self.pool = pool
        self.handler = handler
        self.logger = logger
        self.readiness = readiness
        self.processed = Counter(label: "kk_messages_processed_total", dimensions: [("consumer", name)])
        self.failed = Counter(label: "kk_messages_failed_total", dimensions: [("consumer", name)])
        self.deadLettered = Counter(label: "kk_messages_dead_lettered_total", dimensions: [("consumer", name)])
        self.latency = Metrics.Timer(label: "kk_message_processing_seconds", dimensions: [("consumer", name)], preferredDisplayUnit: .seconds)
    }

    public func run() async throws {
        readiness?.set("consumer", ready: true, detail: "consuming")
        await withGracefulShutdownHandler {
            do {
                if lanes == 1 {
                    for try await message in consumer.messages {
                        guard try await process(message) else { break }
                        markProcessed(message)
                    }
                } else {
                    try await consumeInLanes()
                }
            } catch {
                readiness?.set("consumer", ready: false, detail: "\(error)")
                logger.error("consumer stopped", metadata: ["error": "\(error)"])
            }
        } onGracefulShutdown: { [consumer] in
            consumer.triggerGracefulShutdown()
        }
        await consumer.close()
    }

    /// Hands each message to its partition's lane. A lane that is busy holds up
    /// the others only once it has `laneBuffer` messages waiting. At shutdown each
    /// lane finishes the message in hand and leaves the rest unmarked, to be read
    /// again by whoever consumes the partition next.
    private func consumeInLanes() async throws {
        let channels = (0..<lanes).map { _ in AsyncChannel<KafkaConsumerMessage>() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (lane, channel) in channels.enumerated() {
                group.addTask {
                    var stopped = false
                    for await message in channel.buffer(policy: .bounded(Self.laneBuffer)) {
                        // Drained without working on it once stopped, so the dispatcher never waits on this lane.
                        if stopped || Task.isShuttingDownGracefully { continue }
                        guard try await self.process(message, lane: lane) else {
                            stopped = true
                            continue
                        }
                        self.markProcessed(message)
                    }
                }
            }
            defer { channels.forEach { $0.finish() } }
            for try await message in consumer.messages {
                await channels[Self.lane(of: message, among: lanes)].send(message)
            }
            channels.forEach { $0.finish() }
            try await group.waitForAll()
        }
    }

    /// The lane of a message's partition: the same for every message of a partition,
    /// and a topic's consecutive partitions in different lanes while there are enough.
    static func lane(of message: KafkaConsumerMessage, among lanes: Int) -> Int {
        let topic = message.topic.utf8.reduce(UInt(0)) { $0 &* 31 &+ UInt($1) }
        return Int((topic % UInt(lanes) + UInt(message.partition)) % UInt(lanes))
    }

    private func markProcessed(_ message: KafkaConsumerMessage) {
        do {
            try consumer.markProcessed(message)
        } catch let error where error.isPartitionNotAssigned {
            // A rebalance moved the partition while the message was in hand. Its work
            // is committed in PostgreSQL; the new owner reads it again and the inbox skips it.
            logger.notice(
                "partition moved to another replica; its new owner skips this message",
                metadata: ["topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)"])
        } catch {
            // Closed while the message was in hand: its work is committed, the next owner's inbox skips it.
            logger.notice("offset not stored: \(error)", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)"])
        }
    }

    /// Processes one message until it is done (or dead-lettered). Returns false
    /// when shutdown interrupted the retries: the message stays unmarked.
    /// `lane` names the unit of work in `Liveness` ("consumer", "consumer lane 2").
    @discardableResult
    public func process(_ message: KafkaConsumerMessage, lane: Int = 0) async throws -> Bool {
        var backoff: Duration = .milliseconds(100)
        var prepared: Prepared?
        var tries = 0
        let part = lane == 0 ? "consumer" : "consumer lane \(lane)"
        while true {
            let start = ContinuousClock.now
            liveness?.begin(part, at: start)
            defer { liveness?.end(part) }
            do {
                try await attempt(message, prepared: &prepared)
                processed.increment()
                latency.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
                readiness?.set("database", ready: true)
                return true
            } catch is CancellationError {
                return false
            } catch {
                failed.increment()
                if FailureKind.isOutage(error) {
                    readiness?.set("database", ready: false, detail: "\(error)")
                } else {
                    tries += 1
                    if tries >= maxTries {
                        let messageID = (try? EventEnvelope.decode(from: Data(message.value)).id.uuidString.lowercased()) ?? fallbackID(message)
                        do {
                            try await deadLetter(message, messageID: messageID, reason: "gave up after \(tries) tries: \(error)")
                            return true
                        } catch {
                            logger.warning("could not dead-letter yet", metadata: ["error": "\(error)"])
                        }
                    }
                }
                logger.warning(
                    "transient failure, will retry", metadata: ["error": "\(error)", "topic": "\(message.topic)", "offset": "\(message.offset)"])
                if Task.isCancelledOrShuttingDown { return false }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }

    /// What a step's `prepare` returned, kept across retries of its transaction.
    private struct Prepared {
        let value: (any Sendable)?
    }

    /// One try: the step's `prepare` (once it has succeeded, not again), its transaction,
    /// or the dead-letter transaction for a permanent failure.
    private func attempt(_ message: KafkaConsumerMessage, prepared: inout Prepared?) async throws {
        let envelope: EventEnvelope
        do {
            envelope = try EventEnvelope.decode(from: Data(message.value))
        } catch {
            try await deadLetter(message, messageID: fallbackID(message), reason: "undecodable message: \(error)")
            return
        }
        let messageID = envelope.id.uuidString.lowercased()
        do {
            if prepared == nil {
                prepared = Prepared(value: try await handler.prepare(InboundMessage(envelope: envelope, raw: message), pool: pool))
            }
            let inbound = InboundMessage(envelope: envelope, raw: message, prepared: prepared?.value)
            let enqueued = try await pool.withTransaction { tx in
                guard try await Inbox.claim(consumer: name, messageID: messageID, in: tx) else {
                    logger.debug("duplicate message skipped", metadata: ["message-id": "\(messageID)"])
                    return false
                }
                let outgoing = try await handler.handle(inbound, in: tx)
                try await Outbox.enqueue(outgoing, source: name, notify: relay == nil, in: tx)
                return !outgoing.isEmpty
            }
            if enqueued { relay?.wake() }
        } catch {
            guard FailureKind.of(error) == .permanent else { throw error }
            try await deadLetter(message, messageID: messageID, reason: "\(error)")
        }
    }

    private func deadLetter(_ message: KafkaConsumerMessage, messageID: String, reason unmasked: String) async throws {
        // The reason is read by operators (kk-admin deadletter list, the kk.deadletter topic): no NIK or phone in it.
        let reason = PersonalDataMasker.mask(unmasked)
        deadLettered.increment()
        logger.error(
            "message dead-lettered", metadata: ["reason": "\(reason)", "topic": "\(message.topic)", "offset": "\(message.offset)"])
        try await pool.withTransaction { tx in
            guard try await Inbox.claim(consumer: name, messageID: messageID, in: tx) else { return }
            try await tx.execute(
                """
                INSERT INTO dead_letters (consumer, topic, partition, "offset", message_key, payload, reason)
                VALUES (\(name), \(message.topic), \(Int(message.partition)), \(message.offset), \(message.key), \(message.value), \(reason))
                ON CONFLICT DO NOTHING
                """)
            let letter = OutgoingMessage(
                topic: Topic.deadLetter.rawValue, key: message.keyString ?? messageID, payload: message.value,
                headers: [
                    MessageHeader.deadLetterConsumer: name,
                    MessageHeader.deadLetterReason: reason,
                    "kk-original-topic": message.topic,
                    "kk-original-partition": String(message.partition),
                    "kk-original-offset": String(message.offset),
                ])
            try await Outbox.enqueue([letter], source: name, notify: relay == nil, in: tx)
        }
        relay?.wake()
    }

    private func fallbackID(_ message: KafkaConsumerMessage) -> String {
        "\(message.topic)/\(message.partition)/\(message.offset)"
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
