import CKafka
import Foundation

extension KafkaConsumerMessage {
    /// A copy of a message librdkafka returned (it is destroyed after).
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
