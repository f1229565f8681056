import CKafka

/// librdkafka's delivery report of one produced message, copied out of C:
/// the opaque the message was produced with, and where it landed or why not.
struct RDKafkaDeliveryReport: @unchecked Sendable {
    /// What `RDKafkaClient.produce` was given; unowned here.
    let opaque: UnsafeMutableRawPointer?
    let partition: Int32
    let offset: Int64
    /// Nil when the broker acknowledged the message.
    let error: (code: Int32, reason: String)?

    init(_ message: rd_kafka_message_t) {
        opaque = message._private
        partition = message.partition
        offset = message.offset
        error = message.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : (message.err.rawValue, KafkaError.reason(of: message.err))
    }
}
