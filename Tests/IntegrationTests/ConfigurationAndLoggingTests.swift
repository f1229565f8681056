import Crypto
import Foundation
import Hex
import KKConfiguration
import KKLogging
import KKMessaging
import KKStore
import Testing

@testable import kk_archive

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

    @Test(
        "every numeric setting is read one way: unset or empty takes the default, a malformed or out-of-range value is refused with its name, value and range")
    func environmentReader() throws {
        let reader = EnvironmentReader([
            "PORT": "abc", "EMPTY": " ", "ATTEMPTS": "0", "WAIT": "2.5", "NAN": "nan", "MS": "250", "NEGATIVE": "-1",
        ])
        #expect(throws: ConfigurationError.invalid(variable: "PORT", value: "abc", expected: "a whole number from 0 to 65535")) {
            try reader.integer("PORT", default: 8080, range: 0...65535)
        }
        #expect(try reader.integer("EMPTY", default: 8080, range: 0...65535) == 8080)
        #expect(try reader.integer("UNSET", default: 7, range: 1...9) == 7)
        #expect(throws: ConfigurationError.invalid(variable: "ATTEMPTS", value: "0", expected: "a whole number from 1 to 100")) {
            try reader.integer("ATTEMPTS", default: 3, range: 1...100)
        }
        #expect(try reader.decimal("WAIT", default: 30, range: 0...60) == 2.5)
        #expect(try reader.seconds("WAIT", default: 30, range: 0...60) == .milliseconds(2500))
        #expect(throws: ConfigurationError.self) { try reader.decimal("NAN", default: 1, range: 0...60) }
        #expect(throws: ConfigurationError.invalid(variable: "NEGATIVE", value: "-1", expected: "a number from 0.0 to 60.0")) {
            try reader.decimal("NEGATIVE", default: 1, range: 0...60)
        }
        #expect(try reader.milliseconds("MS", default: 5000, range: 10...60_000) == .milliseconds(250))
        #expect(try EnvironmentReader(["LEVEL": "Debug"]).choice("LEVEL", default: "info", allowed: ["debug", "info"]) == "debug")
        #expect(throws: ConfigurationError.invalid(variable: "KK_LOG_FORMAT", value: "jsn", expected: "one of json, text")) {
            try ServiceEnvironment(
                defaultHTTPPort: 8080, environment: ["KK_DATABASE_URL": "postgresql://x", "KK_KAFKA_BROKERS": "b:1", "KK_LOG_FORMAT": "jsn"])
        }
        #expect(throws: ConfigurationError.missing(variable: "EMPTY", example: "x")) { try reader.required("EMPTY", example: "x") }
        #expect(
            ConfigurationError.invalid(variable: "PORT", value: "abc", expected: "a whole number from 0 to 65535").description
                == "The environment variable PORT has the value 'abc', but it must be a whole number from 0 to 65535.")
    }

    @Test("the consumers' fetch wait: 100 ms by default (Apache Kafka answers at once), KK_KAFKA_FETCH_WAIT_MS for a broker that holds every fetch")
    func fetchWait() throws {
        let base = ["KK_DATABASE_URL": "postgresql://x", "KK_KAFKA_BROKERS": "b:1"]
        #expect(try ServiceEnvironment(defaultHTTPPort: 8080, environment: base).kafkaFetchWait == .milliseconds(100))
        #expect(
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_KAFKA_FETCH_WAIT_MS": "10"]) { $1 }).kafkaFetchWait
                == .milliseconds(10))
        #expect(throws: ConfigurationError.invalid(variable: "KK_KAFKA_FETCH_WAIT_MS", value: "0", expected: "a whole number from 1 to 5000")) {
            try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_KAFKA_FETCH_WAIT_MS": "0"]) { $1 })
        }
    }

    @Test("consumer lanes: the service's default (4; kk-gateway's 12, one per wa.outbound partition) unless KK_CONSUMER_LANES says otherwise; the pool follows")
    func consumerLanes() throws {
        let base = ["KK_DATABASE_URL": "postgresql://x", "KK_KAFKA_BROKERS": "b:1"]
        let plain = try ServiceEnvironment(defaultHTTPPort: 8080, environment: base)
        #expect(plain.consumerLanes == 4 && plain.databasePoolSize == 8)
        let gateway = try ServiceEnvironment(defaultHTTPPort: 9100, defaultConsumerLanes: Topic.waOutbound.partitions, environment: base)
        #expect(gateway.consumerLanes == 12 && gateway.databasePoolSize == 16)
        let set = try ServiceEnvironment(
            defaultHTTPPort: 9100, defaultConsumerLanes: 12, environment: base.merging(["KK_CONSUMER_LANES": "2"]) { $1 })
        #expect(set.consumerLanes == 2 && set.databasePoolSize == 6)
    }

    @Test("a placeholder or too-short secret is refused, naming the variable and never the value")
    func placeholderSecrets() {
        let base = ["KK_KAFKA_BROKERS": "b:1"]
        for (url, expected) in [
            ("postgresql://kk:GANTI-kata-sandi-postgres@postgres:5432/kk", ConfigurationError.placeholder(variable: "KK_DATABASE_URL")),
            ("postgresql://kk:pendek@postgres:5432/kk", ConfigurationError.tooShort(variable: "KK_DATABASE_URL (its password)", minimumLength: 12)),
        ] {
            #expect(throws: expected) {
                try ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_DATABASE_URL": url]) { $1 })
            }
            #expect(!expected.description.contains("GANTI-kata") && !expected.description.contains("pendek"))
        }
        #expect(
            (try? ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_DATABASE_URL": "postgresql://kk:rv7RG3cY7cunFOI6@h/kk"]) { $1 }))
                != nil)
        #expect(
            (try? ServiceEnvironment(defaultHTTPPort: 8080, environment: base.merging(["KK_DATABASE_URL": "postgresql://kk@h/kk"]) { $1 })) != nil,
            "no password in the URL: other authentication (peer, PGPASSFILE)")
        #expect(throws: ConfigurationError.placeholder(variable: "KK_WA_APP_SECRET")) {
            try SecretValue.check("GANTI-app-secret-whatsapp", variable: "KK_WA_APP_SECRET", minimumLength: 12)
        }
        #expect(ConfigurationError.placeholder(variable: "KK_WA_TOKEN").description.contains("KK_WA_TOKEN still holds the template's placeholder"))
    }

    @Test("an applicant's pseudonym is an HMAC-SHA256 under the office's key: RFC 4231's vector, another key another id, no key no service")
    func applicantPseudonym() throws {
        // RFC 4231, test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?") = 5bdcc146bf60754e...
        #expect(ApplicantPseudonym.ref(for: "what do ya want for nothing?", key: SymmetricKey(data: Array("Jefe".utf8))) == "wa-5bdcc146bf60754e")
        let phone = "6281234567001"
        let one = ApplicantPseudonym.ref(for: phone, key: SymmetricKey(data: Array("kunci-pseudonim-kantor-satu-0123456789".utf8)))
        let other = ApplicantPseudonym.ref(for: phone, key: SymmetricKey(data: Array("kunci-pseudonim-kantor-dua-98765432100".utf8)))
        #expect(one != other && one.count == 19)
        let unkeyed = "wa-" + SHA256.hash(data: Array(phone.utf8)).prefix(8).hexEncoded
        #expect(one != unkeyed && RequestStore.applicantRef(for: phone) != unkeyed, "not the bare hash anyone can recompute from a number")

        #expect(throws: ConfigurationError.missing(variable: "KK_PSEUDONYM_KEY_FILE", example: "/run/secrets/kk_pseudonym_key (at least 32 random characters)"))
        {
            try ApplicantPseudonym.configure(environment: [:])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kunci-\(UUID().uuidString.prefix(8))")
        try "pendek".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.tooShort(variable: "KK_PSEUDONYM_KEY_FILE", minimumLength: 32)) {
            try ApplicantPseudonym.configure(environment: ["KK_PSEUDONYM_KEY_FILE": file.path])
        }
        try "GANTI-kunci-pseudonim-pemohon-dengan-acak".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.placeholder(variable: "KK_PSEUDONYM_KEY_FILE")) {
            try ApplicantPseudonym.configure(environment: ["KK_PSEUDONYM_KEY_FILE": file.path])
        }
    }

    @Test("a service's Kafka principal: SCRAM-SHA-512 with the password from its file; a missing, placeholder or short password is refused")
    func kafkaPrincipal() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString.prefix(8))")
        try "sandi-kafka-kk-entry-7Qx2".write(to: file, atomically: true, encoding: .utf8)
        let signedIn = try ServiceEnvironment.kafkaProperties(in: ["KK_KAFKA_SASL_USERNAME": "kk-entry", "KK_KAFKA_SASL_PASSWORD_FILE": file.path])
        #expect(
            signedIn == [
                "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "kk-entry",
                "sasl.password": "sandi-kafka-kk-entry-7Qx2",
            ])
        let overTLS = try ServiceEnvironment.kafkaProperties(in: [
            "KK_KAFKA_SASL_USERNAME": "kk-entry", "KK_KAFKA_SASL_PASSWORD_FILE": file.path, "KK_KAFKA_PROPERTIES": "security.protocol=SASL_SSL",
        ])
        #expect(overTLS["security.protocol"] == "SASL_SSL" && overTLS["sasl.username"] == "kk-entry")
        #expect(try ServiceEnvironment.kafkaProperties(in: [:]).isEmpty, "no principal: the broker's own default (the local stack)")
        #expect(throws: ConfigurationError.self) { try ServiceEnvironment.kafkaProperties(in: ["KK_KAFKA_SASL_USERNAME": "kk-entry"]) }
        try "GANTI-sandi-kafka-kk-entry".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.placeholder(variable: "KK_KAFKA_SASL_PASSWORD_FILE")) {
            try ServiceEnvironment.kafkaProperties(in: ["KK_KAFKA_SASL_USERNAME": "kk-entry", "KK_KAFKA_SASL_PASSWORD_FILE": file.path])
        }
    }

    @Test("NIK, KK numbers and phone numbers are masked in log text")
    func masking() {
        #expect(PersonalDataMasker.mask("NIK 3402124506900001 ditolak") == "NIK ************0001 ditolak")
        #expect(PersonalDataMasker.mask("NIK 3402 1245 0690 0001 dan 3402.1245.0690.0002") == "NIK ************0001 dan ************0002")
        #expect(PersonalDataMasker.mask("pesan dari 6281234567890") == "pesan dari 628*******890")
        #expect(PersonalDataMasker.mask("telepon +6281234567890") == "telepon +628*******890")
        for form in ["081234567890", "0812-3456-7890", "0812 3456 7890", "0812.3456.7890"] {
            #expect(PersonalDataMasker.mask("hubungi \(form) ya") == "hubungi 08*******890 ya", "\(form)")
        }
        for form in ["+62 812-3456-7890", "+62 812 3456 7890", "+62-812-3456-7890", "+62 (812) 3456-7890"] {
            #expect(PersonalDataMasker.mask("HP \(form)") == "HP +628*******890", "\(form)")
        }
        #expect(PersonalDataMasker.mask("permohonan KK-20261130-000001 pukul 14.05") == "permohonan KK-20261130-000001 pukul 14.05")
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
        #expect(
            headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }
}
