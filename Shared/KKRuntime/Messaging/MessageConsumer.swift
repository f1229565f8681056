import Foundation
import KKDomain
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

    /// - Parameter name: the consumer's name in the inbox (usually the service name).
    /// - Parameter maxTries: tries of a message that keeps failing for a reason other than an outage.
    public init(
        name: String, consumer: KafkaConsumer, pool: PostgresPool, handler: any MessageHandler,
        logger: Logger, readiness: Readiness? = nil, liveness: Liveness? = nil, maxTries: Int = 10
    ) {
        self.liveness = liveness
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
                for try await message in consumer.messages {
                    guard try await process(message) else { break }
                    do {
                        try consumer.markProcessed(message)
                    } catch let error as KafkaError where error.isPartitionNotAssigned {
                        // A rebalance moved the partition while the message was in hand. Its work
                        // is committed in PostgreSQL; the new owner reads it again and the inbox skips it.
                        logger.notice(
                            "partition moved to another replica; its new owner skips this message",
                            metadata: ["topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)"])
                    }
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

    /// Processes one message until it is done (or dead-lettered). Returns false
    /// when shutdown interrupted the retries: the message stays unmarked.
    @discardableResult
    public func process(_ message: KafkaConsumerMessage) async throws -> Bool {
        var backoff: Duration = .milliseconds(100)
        var prepared: Prepared?
        var tries = 0
        while true {
            let start = ContinuousClock.now
            liveness?.begin("consumer", at: start)
            defer { liveness?.end("consumer") }
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
            try await pool.withTransaction { tx in
                guard try await Inbox.claim(consumer: name, messageID: messageID, in: tx) else {
                    logger.debug("duplicate message skipped", metadata: ["message-id": "\(messageID)"])
                    return
                }
                let outgoing = try await handler.handle(inbound, in: tx)
                try await Outbox.enqueue(outgoing, source: name, in: tx)
            }
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
            try await Outbox.enqueue([letter], source: name, in: tx)
        }
    }

    private func fallbackID(_ message: KafkaConsumerMessage) -> String {
        "\(message.topic)/\(message.partition)/\(message.offset)"
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
