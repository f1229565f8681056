/// Everything that can go wrong talking to Kafka, with librdkafka's reason.
public enum KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The linked librdkafka is older than `LibrdkafkaVersion.minimum`.
    case librdkafkaTooOld(found: String, required: String)
    /// A configuration property was refused by librdkafka.
    case invalidConfiguration(property: String, reason: String)
    /// The client could not be created.
    case clientCreation(reason: String)
    /// No broker answered within the timeout.
    case brokerUnreachable(brokers: String, reason: String)
    /// A librdkafka operation failed; `code` is librdkafka's error code.
    case operation(operation: String, code: Int32, reason: String)
    /// The message was not delivered (delivery report carried an error).
    case deliveryFailed(topic: String, code: Int32, reason: String)
    /// The client was closed or is shutting down.
    case closed
    /// The message was fetched by a consumer client since replaced (`KafkaConsumer.reconnect()`).
    case clientReplaced

    public var description: String {
        switch self {
        case let .librdkafkaTooOld(found, required):
            return "librdkafka \(found) is linked, but \(required) or newer is required "
                + "(older versions cannot talk to current brokers, or crash when a lost broker's topics are created again). "
                + "Run `make setup` to build librdkafka 2.14.2 into the cache and build with `make build`, "
                + "or install librdkafka >= \(required) and rebuild."
        case let .invalidConfiguration(property, reason):
            return "Kafka configuration property '\(property)' was refused: \(reason)"
        case let .clientCreation(reason):
            return "Could not create the Kafka client: \(reason)"
        case let .brokerUnreachable(brokers, reason):
            return "No Kafka broker answered at \(brokers): \(reason). Is it running? "
                + "Start the local stack with `make up`, or set KK_KAFKA_BROKERS to a reachable broker."
        case let .operation(operation, code, reason):
            return "Kafka \(operation) failed (\(KafkaError.name(of: code))): \(reason)"
        case let .deliveryFailed(topic, code, reason):
            return "Kafka did not accept the message for topic '\(topic)' (\(KafkaError.name(of: code))): \(reason)"
        case .closed:
            return "The Kafka client is closed."
        case .clientReplaced:
            return "The Kafka client that fetched this message was replaced after a broker loss; its offset is not stored, "
                + "and the new client reads the partition from the group's committed offset (the inbox skips what is done)."
        }
    }
}
