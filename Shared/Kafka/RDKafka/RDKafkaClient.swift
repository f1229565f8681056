import CKafka
import Foundation
import Logging
import Synchronization

/// The raw librdkafka handle (`rd_kafka_t`) with its callbacks routed to
/// swift-log. Internal, like every librdkafka call (this folder holds them all):
/// the public API is `KafkaProducer`, `KafkaConsumer` and `KafkaAdmin`, in
/// plain Swift. The consumer, producer and admin calls are in the extensions
/// beside this file.
///
/// librdkafka's handle is thread-safe; `@unchecked Sendable` is sound because
/// the pointer is only destroyed in `deinit`, after every user is gone.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer

        var raw: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    /// Passed to librdkafka as the global opaque; callbacks find the logger here.
    final class Context: @unchecked Sendable {
        let logger: Logger
        let deliveryReport: (@Sendable (RDKafkaDeliveryReport) -> Void)?

        init(logger: Logger, deliveryReport: (@Sendable (RDKafkaDeliveryReport) -> Void)?) {
            self.logger = logger
            self.deliveryReport = deliveryReport
        }
    }

    let handle: OpaquePointer
    let kind: Kind
    let logger: Logger
    private let context: Unmanaged<Context>
    /// Set by `abandon()`: the handle is destroyed without leaving the group.
    private let abandoned = Atomic<Bool>(false)

    init(
        kind: Kind,
        properties: [String: String],
        logger: Logger,
        deliveryReport: (@Sendable (RDKafkaDeliveryReport) -> Void)? = nil
    ) throws(KafkaError) {
        try LibrdkafkaVersion.check()
        let conf = rd_kafka_conf_new()!
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            var errstr = [CChar](repeating: 0, count: 512)
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .invalidConfiguration(property: key, reason: String(errorBuffer: errstr))
            }
        }
        let context = Unmanaged.passRetained(Context(logger: logger, deliveryReport: deliveryReport))
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdkafkaLog)
        rd_kafka_conf_set_error_cb(conf, rdkafkaError)
        if deliveryReport != nil {
            rd_kafka_conf_set_dr_msg_cb(conf, rdkafkaDeliveryReport)
        }
        var errstr = [CChar](repeating: 0, count: 512)
        // On success rd_kafka_new takes ownership of conf.
        guard let handle = rd_kafka_new(kind.raw, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            context.release()
            throw .clientCreation(reason: String(errorBuffer: errstr))
        }
        self.handle = handle
        self.kind = kind
        self.logger = logger
        self.context = context
    }

    deinit {
        if abandoned.load(ordering: .acquiring) {
            rd_kafka_destroy_flags(handle, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        } else {
            rd_kafka_destroy(handle)
        }
        context.release()
    }

    /// Destroys a consumer, when its last user lets go, the way a killed process
    /// would: without committing or leaving its group (a group on a broker that
    /// came back empty may not know it, and the development broker keeps a
    /// re-forming group's leader that left gracefully); the group drops it after
    /// its session timeout.
    func abandon() {
        abandoned.store(true, ordering: .releasing)
    }

    /// Fetches cluster metadata, which proves a broker answers. Blocking.
    func checkReachable(brokers: String, timeout: Duration) throws(KafkaError) {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 0, nil, &metadata, Int32(timeout.milliseconds))
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .brokerUnreachable(brokers: brokers, reason: KafkaError.reason(of: err))
        }
    }

    /// The fatal error librdkafka raised, if any (e.g. an idempotence violation).
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return .operation(operation: "client", code: code.rawValue, reason: String(errorBuffer: errstr))
    }

    /// Raises a fabricated fatal error, as librdkafka offers for testing what follows one
    /// (a real one needs a broker that loses a producer's sequence numbers).
    func raiseFatalErrorForTesting(reason: String) {
        _ = rd_kafka_test_fatal_error(handle, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, reason)
    }
}

private func context(of rk: OpaquePointer?) -> RDKafkaClient.Context? {
    guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
    return Unmanaged<RDKafkaClient.Context>.fromOpaque(opaque).takeUnretainedValue()
}

/// librdkafka's syslog levels mapped onto swift-log's.
private let rdkafkaLog: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, message in
    guard let ctx = context(of: rk) else { return }
    let swiftLevel: Logger.Level =
        switch level {
        case 0...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    let fac = facility.map { String(cString: $0) } ?? ""
    let text = message.map { String(cString: $0) } ?? ""
    ctx.logger.log(level: swiftLevel, "librdkafka: \(text)", metadata: ["kafka.facility": "\(fac)"])
}

private let rdkafkaError: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, code, reason, _ in
    guard let ctx = context(of: rk) else { return }
    let text = reason.map { String(cString: $0) } ?? ""
    // Transport errors are retried by librdkafka on its own; they are worth a warning, not a crash.
    ctx.logger.warning(
        "librdkafka error: \(text)", metadata: ["kafka.error": "\(KafkaError.name(of: code))"])
}

private let rdkafkaDeliveryReport: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, _ in
    guard let message, let ctx = context(of: rk), let report = ctx.deliveryReport else { return }
    report(RDKafkaDeliveryReport(message.pointee))
}
