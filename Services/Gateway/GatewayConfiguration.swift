import Foundation
import KKConfiguration
import KKOfficerCLI

/// The gateway's WhatsApp Cloud API settings, from the environment. Secrets
/// may come from files (`*_FILE`), as Kubernetes and compose secrets mount them.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `KK_WA_GRAPH_URL` | Graph API base URL | `https://graph.facebook.com/v21.0` |
/// | `KK_WA_HTTP_TIMEOUT_SECONDS` | the longest one Graph API call may take | 30 |
/// | `KK_WA_PHONE_NUMBER_ID` | the office's WhatsApp phone-number id | required |
/// | `KK_WA_TOKEN` / `KK_WA_TOKEN_FILE` | the bearer token | required |
/// | `KK_WA_APP_SECRET` / `KK_WA_APP_SECRET_FILE` | signs webhooks (X-Hub-Signature-256) | required |
/// | `KK_WA_VERIFY_TOKEN` / `KK_WA_VERIFY_TOKEN_FILE` | answers Meta's GET handshake | required |
/// | `KK_WA_MEDIA_LIMIT_BYTES` | largest photo or document stored | 16 MiB |
/// | `KK_GATEWAY_PORT` | the webhook's HTTP port | 8080 |
/// | `KK_WA_TEMPLATE` | approved template for texts outside the 24-hour window, `name:language` (one body parameter) | `kk_pemberitahuan:id` |
/// | `KK_WA_DOCUMENT_TEMPLATE` | approved template for documents outside the window (document header, one body parameter) | `kk_dokumen:id` |
/// | `KK_WA_SEND_ATTEMPTS` / `KK_WA_SEND_BACKOFF_MS` | tries on 429/5xx and the first backoff | 6 / 500 |
/// | `KK_WA_SEND_BUDGET_SECONDS` | longest time one message's tries may take (keep well below Kafka's max.poll.interval.ms, 300 s) | 60 |
/// | `KK_WA_MESSAGES_PER_MINUTE` | messages one number may send in a minute; the first one over is answered "wait a minute", the rest are dropped | 20 |
/// | `KK_WA_BYTES_PER_DAY` | bytes of files one number may have stored in 24 hours | 200 MiB |
/// | `KK_WA_DOWNLOADS` | media downloads at once (each holds a whole file in memory) | 4 |
/// | `KK_WA_UNATTACHED_MEDIA_HOURS` / `KK_WA_PURGE_INTERVAL_SECONDS` | a file never attached to a request is deleted after this long; how often the gateway looks | 24 / 600 |
/// | `KK_WA_IN_DOUBT_WAIT_SECONDS` | how long a text a crash interrupted waits for WhatsApp's status before it is sent again | 30 |
/// | `KK_WA_INBOX_WORKERS` | webhook bodies recorded at once | 8 |
/// | `KK_WA_INBOX_ATTEMPTS` / `KK_WA_INBOX_RETRY_MS` | tries at recording a body, and the first backoff (doubling up to 5 minutes) | 12 / 1000 |
/// | `KK_WA_INBOX_LEASE_SECONDS` / `KK_WA_INBOX_POLL_MS` | how long a claim on a body lasts unless renewed (renewed every third of it while the body is worked on, so a killed gateway's bodies go to another replica within it); how often the inbox is looked at besides each new body | 30 / 1000 |
struct GatewayConfiguration: Sendable {
    var graphURL: URL
    var graphTimeout: Duration
    var phoneNumberID: String
    var token: String
    var appSecret: String
    var verifyToken: String
    var mediaLimitBytes: Int
    var port: Int
    var textTemplate: (name: String, language: String)
    var documentTemplate: (name: String, language: String)
    var sendAttempts: Int
    var sendBackoff: Duration
    var sendBudget: Duration
    var inDoubtWait: TimeInterval
    var messagesPerMinute: Int
    var bytesPerDay: Int
    var downloads: Int
    var unattachedMediaHours: Int
    var purgeInterval: Duration
    var inbox: WebhookInboxWorker.Settings

    /// The Graph API at `graphURL` with the office's token.
    var graphClient: GraphAPIClient { GraphAPIClient(baseURL: graphURL, token: token, timeout: graphTimeout) }

    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func secret(_ name: String) throws -> String {
            if let file = environment["\(name)_FILE"], !file.isEmpty {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw CLIFailure("\(name)_FILE points at \(file), which cannot be read.")
                }
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let value = environment[name], !value.isEmpty else {
                throw CLIFailure(ConfigurationError.missing(variable: name, example: "(from the Meta app's WhatsApp settings); or \(name)_FILE").description)
            }
            return value
        }
        let base = environment["KK_WA_GRAPH_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://graph.facebook.com/v21.0"
        guard let url = URL(string: base) else { throw CLIFailure("KK_WA_GRAPH_URL '\(base)' is not a URL.") }
        graphURL = url
        graphTimeout = try EnvironmentReader(environment).seconds("KK_WA_HTTP_TIMEOUT_SECONDS", default: 30, range: 0.1...300)
        phoneNumberID = try secret("KK_WA_PHONE_NUMBER_ID")
        token = try secret("KK_WA_TOKEN")
        appSecret = try secret("KK_WA_APP_SECRET")
        verifyToken = try secret("KK_WA_VERIFY_TOKEN")
        do {
            try SecretValue.check(token, variable: "KK_WA_TOKEN", minimumLength: 12)
            try SecretValue.check(appSecret, variable: "KK_WA_APP_SECRET", minimumLength: 12)
            try SecretValue.check(verifyToken, variable: "KK_WA_VERIFY_TOKEN", minimumLength: 8)
        } catch {
            throw CLIFailure(error.description)
        }
        let reader = EnvironmentReader(environment)
        mediaLimitBytes = try reader.integer("KK_WA_MEDIA_LIMIT_BYTES", default: 16 * 1024 * 1024, range: 1024...100 * 1024 * 1024)
        port = try reader.integer("KK_GATEWAY_PORT", default: 8080, range: 0...65535)
        func template(_ name: String, default value: String) -> (String, String) {
            let text = environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? value
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "id")
        }
        textTemplate = template("KK_WA_TEMPLATE", default: "kk_pemberitahuan:id")
        documentTemplate = template("KK_WA_DOCUMENT_TEMPLATE", default: "kk_dokumen:id")
        sendAttempts = try reader.integer("KK_WA_SEND_ATTEMPTS", default: 6, range: 1...100)
        sendBackoff = try reader.milliseconds("KK_WA_SEND_BACKOFF_MS", default: 500, range: 0...60_000)
        sendBudget = try reader.seconds("KK_WA_SEND_BUDGET_SECONDS", default: 60, range: 1...3600)
        inDoubtWait = try reader.decimal("KK_WA_IN_DOUBT_WAIT_SECONDS", default: 30, range: 0...86_400)
        messagesPerMinute = try reader.integer("KK_WA_MESSAGES_PER_MINUTE", default: 20, range: 1...10_000)
        bytesPerDay = try reader.integer("KK_WA_BYTES_PER_DAY", default: 200 * 1024 * 1024, range: 1...(1 << 40))
        downloads = try reader.integer("KK_WA_DOWNLOADS", default: 4, range: 1...64)
        unattachedMediaHours = try reader.integer("KK_WA_UNATTACHED_MEDIA_HOURS", default: 24, range: 1...24 * 365)
        purgeInterval = .seconds(try reader.integer("KK_WA_PURGE_INTERVAL_SECONDS", default: 600, range: 1...86_400))
        inbox = WebhookInboxWorker.Settings(
            workers: try reader.integer("KK_WA_INBOX_WORKERS", default: 8, range: 1...256),
            attempts: try reader.integer("KK_WA_INBOX_ATTEMPTS", default: 12, range: 1...1000),
            firstRetry: try reader.milliseconds("KK_WA_INBOX_RETRY_MS", default: 1000, range: 1...600_000),
            lease: .seconds(try reader.integer("KK_WA_INBOX_LEASE_SECONDS", default: 30, range: 3...3600)),
            poll: try reader.milliseconds("KK_WA_INBOX_POLL_MS", default: 1000, range: 10...600_000))
    }
}
