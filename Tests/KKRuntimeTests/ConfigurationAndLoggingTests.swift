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

@Suite("S3 request signing (AWS Signature Version 4)")
struct S3RequestSignerTests {
    @Test("AWS's published GET Object example gives AWS's published signature")
    func awsExample() throws {
        let signer = S3RequestSigner(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = try #require(calendar.date(from: DateComponents(year: 2013, month: 5, day: 24)))
        let headers = signer.headers(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!, payload: [], date: date,
            extra: ["Range": "bytes=0-9"])
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }
}
