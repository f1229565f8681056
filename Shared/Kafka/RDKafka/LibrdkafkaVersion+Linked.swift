import CKafka

extension LibrdkafkaVersion {
    /// The version of the librdkafka loaded into this process.
    public static var linked: LibrdkafkaVersion { LibrdkafkaVersion(encoded: rd_kafka_version()) }
}
