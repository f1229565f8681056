import CKafka
import Logging
import Synchronization

/// Produces messages and awaits each one's delivery report: `send` returns
/// only once the broker acknowledged (acks=all, idempotent), with the
/// partition and offset, or throws librdkafka's reason.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let poller: PollThread
    private let configuration: KafkaProducerConfiguration
    private let closed = Atomic<Bool>(false)

    /// Creates the producer and waits until a broker answers, failing fast
    /// (after `connectTimeout`) with `KafkaError.brokerUnreachable` otherwise.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) async throws(KafkaError) {
        let client = try RDKafkaClient(
            kind: .producer, properties: configuration.properties, logger: logger,
            deliveryReport: KafkaProducer.deliveryReport)
        let timeout = configuration.common.connectTimeout
        let brokers = configuration.common.brokerList
        try await BlockingCall.run { () throws(KafkaError) in
            try client.checkReachable(brokers: brokers, timeout: timeout)
        }
        self.client = client
        self.configuration = configuration
        // Serves delivery reports; each rd_kafka_poll blocks at most 100 ms.
        self.poller = PollThread(name: "kk-kafka-producer-poll") { rd_kafka_poll(client.handle, 100) }
    }

    /// Sends one message and waits for the broker's acknowledgement.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let promise = DeliveryPromise()
        try await enqueue(message, slot: DeliverySlot(.single(promise), topic: message.topic))
        return try await promise.wait()
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
        return await batch.wait()
    }

    /// Waits until every enqueued message is delivered or `timeout` passes.
    public func flush(timeout: Duration = .seconds(10)) async throws(KafkaError) {
        let client = self.client
        let code = await BlockingCall.run { rd_kafka_flush(client.handle, Int32(timeout.milliseconds)) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "flush") }
    }

    /// Flushes what is in flight, then stops serving the client. Idempotent.
    public func close(timeout: Duration = .seconds(10)) async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do { try await flush(timeout: timeout) } catch {
            client.logger.warning("Kafka producer closed with undelivered messages: \(error)")
        }
        await poller.stop()
    }

    /// Hands the message to librdkafka; waits only while its local queue is full.
    private func enqueue(_ message: KafkaProducerMessage, slot: DeliverySlot) async throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        var backoff: Duration = .microseconds(200)
        while true {
            let code = produce(message, slot: slot)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            guard code == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                if let fatal = client.fatalError() { throw fatal }
                throw .deliveryFailed(topic: message.topic, code: code.rawValue, reason: String(cString: rd_kafka_err2str(code)))
            }
            // The local queue is full: wait for delivery reports to drain it.
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .milliseconds(50))
        }
    }

    private func produce(_ message: KafkaProducerMessage, slot: DeliverySlot) -> rd_kafka_resp_err_t {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                if let value = header.value {
                    value.withUnsafeBytes { _ = rd_kafka_header_add(headers, header.key, -1, $0.baseAddress, $0.count) }
                } else {
                    rd_kafka_header_add(headers, header.key, -1, nil, 0)
                }
            }
        }
        let opaque = Unmanaged.passRetained(slot).toOpaque()
        let partition = message.partition ?? RD_KAFKA_PARTITION_UA
        let code = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                kk_produce(
                    client.handle, message.topic, partition, value.baseAddress, value.count,
                    key?.baseAddress, key?.count ?? 0, headers, opaque)
            }
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            Unmanaged<DeliverySlot>.fromOpaque(opaque).release()
            if let headers { rd_kafka_headers_destroy(headers) }
        }
        return code
    }

    /// Runs on librdkafka's poll thread for every message, delivered or failed.
    private static let deliveryReport: @Sendable (UnsafePointer<rd_kafka_message_t>) -> Void = { message in
        guard let opaque = message.pointee._private else { return }
        let slot = Unmanaged<DeliverySlot>.fromOpaque(opaque).takeRetainedValue()
        let topic = slot.topic
        let err = message.pointee.err
        if err == RD_KAFKA_RESP_ERR_NO_ERROR {
            slot.fulfil(.success(KafkaDeliveryReport(topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)))
        } else {
            slot.fulfil(.failure(.deliveryFailed(topic: topic, code: err.rawValue, reason: String(cString: rd_kafka_err2str(err)))))
        }
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
