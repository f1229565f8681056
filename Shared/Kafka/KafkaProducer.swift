import BlockingQueue
import Logging
import Synchronization

/// Produces messages and awaits each one's delivery report: `send` returns
/// only once the broker acknowledged (acks=all, idempotent), with the
/// partition and offset, or throws librdkafka's reason.
///
/// After a broker lost its data and came back, `reconnect()` replaces the
/// librdkafka client in place (librdkafka keeps a lost topic's id and cannot
/// adopt the new one, librdkafka#4898), so every holder of this producer sends
/// through the new client without a restart. A client that raised a fatal
/// error (its idempotence state lost) is replaced the same way, on its own.
public final class KafkaProducer: Sendable {
    /// The librdkafka client in use and the thread serving its delivery reports.
    private struct Connection: Sendable {
        let client: RDKafkaClient
        let poller: PollThread
    }

    private let connection: Mutex<Connection>
    private let configuration: KafkaProducerConfiguration
    private let closed = Atomic<Bool>(false)
    /// Set while a client that raised a fatal error is being replaced: one failed send replaces it, not each.
    private let replacingFatal = Atomic<Bool>(false)

    /// The librdkafka client in use (internal, for the tests' fabricated fatal error).
    var client: RDKafkaClient { connection.withLock { $0.client } }

    /// Creates the producer and waits until a broker answers, failing fast
    /// (after `connectTimeout`) with `KafkaError.brokerUnreachable` otherwise.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) async throws(KafkaError) {
        self.configuration = configuration
        self.connection = Mutex(try await Self.connect(configuration, logger: logger))
    }

    /// A new client that a broker answered, with its poll thread.
    private static func connect(_ configuration: KafkaProducerConfiguration, logger: Logger) async throws(KafkaError) -> Connection {
        let client = try RDKafkaClient(
            kind: .producer, properties: configuration.properties, logger: logger,
            deliveryReport: KafkaProducer.deliveryReport)
        let timeout = configuration.common.connectTimeout
        let brokers = configuration.common.brokerList
        try await BlockingQueue.kafka.run { () throws(KafkaError) in
            try client.checkReachable(brokers: brokers, timeout: timeout)
        }
        // Serves delivery reports; each poll blocks at most 100 ms.
        return Connection(client: client, poller: PollThread(name: "kk-kafka-producer-poll") { client.poll(milliseconds: 100) })
    }

    /// Replaces the client with a new one once a broker answers. What the old one
    /// had not delivered fails (`send` throws for it, so its caller sends it again
    /// through the new client); the old client is then released.
    public func reconnect() async throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        let old = client
        let fresh = try await Self.connect(configuration, logger: old.logger)
        let replaced = connection.withLock { current in
            defer { current = fresh }
            return current
        }
        await BlockingQueue.kafka.run {
            replaced.client.purge()
            // Serves the purged messages' failed delivery reports, so no `send` waits forever.
            // (Produce calls hold the lock, so none reaches the old client after the swap.)
            for _ in 0..<100 where replaced.client.outstanding > 0 { replaced.client.poll(milliseconds: 100) }
        }
        await replaced.poller.stop()
    }

    /// Sends one message and waits for the broker's acknowledgement.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let promise = DeliveryPromise()
        do throws(KafkaError) {
            try await enqueue(message, slot: DeliverySlot(.single(promise), topic: message.topic))
            return try await promise.wait()
        } catch {
            await replaceIfFatal()
            throw error
        }
    }

    /// Sends many messages at once (they are batched on the wire, in order) and
    /// waits for every acknowledgement. Results are in the order of `messages`.
    public func send(_ messages: [KafkaProducerMessage]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        let batch = BatchDelivery(count: messages.count)
        for (index, message) in messages.enumerated() {
            do {
                try await enqueue(message, slot: DeliverySlot(.batch(batch, index), topic: message.topic))
            } catch {
                batch.fulfil(index, .failure(error))
            }
        }
        let results = await batch.wait()
        if results.contains(where: { if case .failure = $0 { true } else { false } }) { await replaceIfFatal() }
        return results
    }

    /// librdkafka's idempotent producer stops for good after a fatal error (a broker that lost
    /// or desynchronised its sequence numbers, as one that came back empty does): every later
    /// message fails until the client is replaced, which is librdkafka's documented cure. The
    /// first send that fails on such a client replaces it; the caller's retry (the outbox
    /// relay's) goes through the new one.
    private func replaceIfFatal() async {
        let failed = client
        guard let fatal = failed.fatalError() else { return }
        guard !replacingFatal.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { replacingFatal.store(false, ordering: .releasing) }
        // Another sender may have replaced it meanwhile.
        guard connection.withLock({ $0.client === failed }) else { return }
        failed.logger.warning("Kafka producer stopped on a fatal error; replacing its client", metadata: ["error": "\(fatal)"])
        do {
            try await reconnect()
            failed.logger.notice("Kafka producer client replaced after a fatal error")
        } catch {
            failed.logger.warning("the Kafka producer's client could not be replaced yet; the next failed send tries again", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until every enqueued message is delivered or `timeout` passes.
    public func flush(timeout: Duration = .seconds(10)) async throws(KafkaError) {
        let client = self.client
        try await BlockingQueue.kafka.run { () throws(KafkaError) in try client.flush(timeout: timeout) }
    }

    /// Flushes what is in flight, then stops serving the client. Idempotent.
    public func close(timeout: Duration = .seconds(10)) async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do { try await flush(timeout: timeout) } catch {
            client.logger.warning("Kafka producer closed with undelivered messages: \(error)")
        }
        await connection.withLock { $0.poller }.stop()
    }

    /// Hands the message to librdkafka; waits only while its local queue is full.
    private func enqueue(_ message: KafkaProducerMessage, slot: DeliverySlot) async throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        var backoff: Duration = .microseconds(200)
        while true {
            let opaque = Unmanaged.passRetained(slot).toOpaque()
            // Under the lock, so a message never reaches a client `reconnect()` has replaced.
            let (client, enqueued) = connection.withLock { ($0.client, $0.client.produce(message, opaque: opaque)) }
            if case .accepted = enqueued { return }
            // Not taken: no delivery report will release the slot.
            Unmanaged<DeliverySlot>.fromOpaque(opaque).release()
            if case .refused(let code, let reason) = enqueued {
                if let fatal = client.fatalError() { throw fatal }
                throw .deliveryFailed(topic: message.topic, code: code, reason: reason)
            }
            // The local queue is full: wait for delivery reports to drain it.
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .milliseconds(50))
        }
    }

    /// Runs on the poll thread for every message, delivered or failed.
    private static let deliveryReport: @Sendable (RDKafkaDeliveryReport) -> Void = { report in
        guard let opaque = report.opaque else { return }
        let slot = Unmanaged<DeliverySlot>.fromOpaque(opaque).takeRetainedValue()
        if let error = report.error {
            slot.fulfil(.failure(.deliveryFailed(topic: slot.topic, code: error.code, reason: error.reason)))
        } else {
            slot.fulfil(.success(KafkaDeliveryReport(topic: slot.topic, partition: report.partition, offset: report.offset)))
        }
    }
}
