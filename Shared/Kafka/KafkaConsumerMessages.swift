import CKafka
import Foundation

/// The consumer's messages as an `AsyncSequence`. Each hop to the consumer's
/// thread drains up to `batchSize` ready messages, so per-message overhead stays small.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage

    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        private var buffer: [KafkaConsumerMessage] = []
        private var index = 0

        init(consumer: KafkaConsumer) { self.consumer = consumer }

        public mutating func next() async throws -> KafkaConsumerMessage? {
            while index >= buffer.count {
                if consumer.stopping.load(ordering: .acquiring) || Task.isCancelled { return nil }
                buffer = try await consumer.pollBatch()
                index = 0
            }
            if consumer.stopping.load(ordering: .acquiring) { return nil }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

extension KafkaConsumer {
    /// Waits up to 100 ms for a message, then takes whatever else is ready.
    func pollBatch() async throws(KafkaError) -> [KafkaConsumerMessage] {
        let client = self.client
        let limit = configuration.batchSize
        return try await Self.onQueue(queue) { () throws(KafkaError) -> [KafkaConsumerMessage] in
            var batch: [KafkaConsumerMessage] = []
            var timeout: Int32 = 100
            while batch.count < limit {
                guard let raw = rd_kafka_consumer_poll(client.handle, timeout) else { break }
                defer { rd_kafka_message_destroy(raw) }
                timeout = 0
                let err = raw.pointee.err
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    if let fatal = client.fatalError() { throw fatal }
                    let text = rd_kafka_message_errstr(raw).map { String(cString: $0) } ?? ""
                    client.logger.warning("Kafka consumer: \(text)", metadata: ["kafka.error": "\(KafkaError.name(of: err.rawValue))"])
                    continue
                }
                batch.append(KafkaConsumerMessage(raw))
            }
            return batch
        }
    }
}

extension KafkaConsumerMessage {
    init(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) {
        let m = raw.pointee
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(raw, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var idx = 0
            var name: UnsafePointer<CChar>?
            var val: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, idx, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = val.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
                idx += 1
            }
        }
        var tsType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ms = rd_kafka_message_timestamp(raw, &tsType)
        self.init(
            topic: m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "",
            partition: m.partition, offset: m.offset, key: key, value: value, headers: headers,
            timestamp: ms >= 0 ? Date(timeIntervalSince1970: Double(ms) / 1000) : nil)
    }
}
