import Foundation
import KKRuntime

/// The gateway's WhatsApp Cloud API settings, from the environment. Secrets
/// may come from files (`*_FILE`), as Kubernetes and compose secrets mount them.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `KK_WA_GRAPH_URL` | Graph API base URL | `https://graph.facebook.com/v21.0` |
/// | `KK_WA_PHONE_NUMBER_ID` | the office's WhatsApp phone-number id | required |
/// | `KK_WA_TOKEN` / `KK_WA_TOKEN_FILE` | the bearer token | required |
/// | `KK_WA_APP_SECRET` / `KK_WA_APP_SECRET_FILE` | signs webhooks (X-Hub-Signature-256) | required |
/// | `KK_WA_VERIFY_TOKEN` / `KK_WA_VERIFY_TOKEN_FILE` | answers Meta's GET handshake | required |
/// | `KK_WA_MEDIA_LIMIT_BYTES` | largest photo or document stored | 16 MiB |
/// | `KK_GATEWAY_PORT` | the webhook's HTTP port | 8080 |
struct GatewayConfiguration: Sendable {
    var graphURL: URL
    var phoneNumberID: String
    var token: String
    var appSecret: String
    var verifyToken: String
    var mediaLimitBytes: Int
    var port: Int

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
        phoneNumberID = try secret("KK_WA_PHONE_NUMBER_ID")
        token = try secret("KK_WA_TOKEN")
        appSecret = try secret("KK_WA_APP_SECRET")
        verifyToken = try secret("KK_WA_VERIFY_TOKEN")
        mediaLimitBytes = Int(environment["KK_WA_MEDIA_LIMIT_BYTES"] ?? "") ?? 16 * 1024 * 1024
        port = Int(environment["KK_GATEWAY_PORT"] ?? "") ?? 8080
    }
}
