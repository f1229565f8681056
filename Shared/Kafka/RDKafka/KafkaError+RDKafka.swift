import CKafka

extension KafkaError {
    /// The partition is no longer this member's (a rebalance gave it to
    /// another): its offset can no longer be stored here.
    public var isPartitionNotAssigned: Bool {
        guard case let .operation(_, code, _) = self else { return false }
        return code == RD_KAFKA_RESP_ERR__STATE.rawValue || code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.rawValue
    }

    /// librdkafka's symbolic name of an error code, e.g. `_TRANSPORT`.
    static func name(of code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
    }

    /// librdkafka's text for an error code.
    static func reason(of code: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(code))
    }

    static func from(_ code: rd_kafka_resp_err_t, operation: String) -> KafkaError {
        .operation(operation: operation, code: code.rawValue, reason: reason(of: code))
    }
}

extension String {
    /// Text from a NUL-terminated C error buffer such as librdkafka's `errstr`.
    init(errorBuffer: [CChar]) {
        let bytes = errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
