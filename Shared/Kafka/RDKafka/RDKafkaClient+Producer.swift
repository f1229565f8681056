import CKafka
import Logging

extension RDKafkaClient {
    /// What librdkafka did with a message handed to it.
    enum Enqueued {
        case accepted
        /// Its local queue is full until delivery reports drain it.
        case queueFull
        case refused(code: Int32, reason: String)
    }

    /// Hands one message (copied) to librdkafka; `opaque` comes back in its delivery report.
    func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer) -> Enqueued {
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
        let partition = message.partition ?? RD_KAFKA_PARTITION_UA
        let code = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                kk_produce(handle, message.topic, partition, value.baseAddress, value.count, key?.baseAddress, key?.count ?? 0, headers, opaque)
            }
        }
        // On success librdkafka owns the headers; on failure they are still ours.
        if code != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR: return .accepted
        case RD_KAFKA_RESP_ERR__QUEUE_FULL: return .queueFull
        default: return .refused(code: code.rawValue, reason: KafkaError.reason(of: code))
        }
    }

    /// Serves callbacks (delivery reports, logs, errors); blocks up to `milliseconds`.
    func poll(milliseconds: Int32) {
        rd_kafka_poll(handle, milliseconds)
    }

    /// Drops every message not yet acknowledged, queued or in flight: each gets a
    /// failed delivery report (`_PURGE_QUEUE`, `_PURGE_INFLIGHT`) at the next poll.
    func purge() {
        let code = rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { logger.warning("Kafka producer purge: \(KafkaError.reason(of: code))") }
    }

    /// Messages handed over whose delivery report has not been served yet.
    var outstanding: Int32 { rd_kafka_outq_len(handle) }

    /// Waits until every message handed over is delivered or `timeout` passes. Blocking.
    func flush(timeout: Duration) throws(KafkaError) {
        let code = rd_kafka_flush(handle, Int32(timeout.milliseconds))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "flush") }
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
