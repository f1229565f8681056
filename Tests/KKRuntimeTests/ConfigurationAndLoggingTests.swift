import Foundation
import KKRuntime
import Testing

@Suite("Configuration from the environment, and masked logs")
struct ConfigurationAndLoggingTests {
    @Test("a missing variable is named, with an example of what to set")
    func missingVariable() {
        #expect(throws: ConfigurationError.missing(variable: "KK_DATABASE_URL", example: "postgresql://kk:secret@127.0.0.1:54329/kk")) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: ["KK_KAFKA_BROKERS": "127.0.0.1:19092"])
        }
        #expect(throws: ConfigurationError.missing(variable: "KK_KAFKA_BROKERS", example: "127.0.0.1:19092")) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: ["KK_DATABASE_URL": "postgresql://x"])
        }
        let text = ConfigurationError.missing(variable: "KK_KAFKA_BROKERS", example: "127.0.0.1:19092").description
        #expect(text.contains("KK_KAFKA_BROKERS"))
    }

    @Test("malformed values are refused with what is expected")
    func malformedValues() {
        let base = ["KK_DATABASE_URL": "postgresql://x", "KK_KAFKA_BROKERS": "b:1"]
        #expect(throws: ConfigurationError.self) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_HTTP_PORT": "lapan"]) { $1 })
        }
        #expect(throws: ConfigurationError.self) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_KAFKA_PROPERTIES": "no-equals"]) { $1 })
        }
        let env = try? ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_KAFKA_PROPERTIES": "a=1; b = 2"]) { $1 })
        #expect(env?.kafkaProperties == ["a": "1", "b": "2"])
        #expect(env?.httpPort == 8080)
        #expect(throws: ConfigurationError.invalid(variable: "KK_TOPIC_PREFIX", value: "staging/", expected: "letters, digits, '.', '_' or '-'")) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_TOPIC_PREFIX": "staging/"]) { $1 })
        }
        #expect((try? ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_TOPIC_PREFIX": "staging."]) { $1 }))?.topicPrefix == "staging.")
    }

    @Test("NIK, KK numbers and phone numbers are masked in log text")
    func masking() {
        #expect(PersonalDataMasker.mask("NIK 3402124506900001 ditolak") == "NIK 3402********0001 ditolak")
        #expect(PersonalDataMasker.mask("pesan dari 6281234567890") == "pesan dari 628*******890")
        #expect(PersonalDataMasker.mask("telepon +6281234567890") == "telepon +628*******890")
        #expect(PersonalDataMasker.mask("offset 12345 partisi 3") == "offset 12345 partisi 3")
        #expect(!PersonalDataMasker.mask("KK 3402010101200001, HP 081234567890").contains("0101200"))
    }
}
