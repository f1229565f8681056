import Crypto
import Foundation
import Hex
import KKHTTP

/// What went wrong with the Graph API.
enum GraphAPIError: Error, CustomStringConvertible {
    case http(status: Int, body: String)
    case malformed(String)
    case digestMismatch(expected: String, actual: String)
    /// `size` is nil when the download was cut at the limit.
    case tooLarge(size: Int?, limit: Int)

    var description: String {
        switch self {
        case let .http(status, body): "Graph API answered \(status): \(body.prefix(300))"
        case let .malformed(what): "Graph API answer not understood: \(what)"
        case let .digestMismatch(expected, actual): "media SHA-256 mismatch: Meta sent \(expected), the bytes hash to \(actual)"
        case let .tooLarge(size, limit): "media of \(size.map { "\($0) bytes" } ?? "more bytes") is over the limit of \(limit) bytes"
        }
    }

    /// 429 and 5xx are worth retrying.
    var isRetryable: Bool {
        if case let .http(status, _) = self { return status == 429 || status >= 500 }
        return false
    }
}

/// Downloaded media: the bytes, their digest and type.
struct DownloadedMedia: Sendable {
    let bytes: [UInt8]
    let sha256: String
    let contentType: String
}

/// The Graph API calls of the gateway, with the bearer token. Media must be
/// fetched at once: Meta's media URLs expire within minutes.
struct GraphAPIClient: Sendable {
    let baseURL: URL
    let token: String
    /// The longest one call may take (`KK_WA_HTTP_TIMEOUT_SECONDS`); a caller may give less.
    var timeout: Duration = .seconds(30)

    /// media id -> URL (with declared size and digest) -> bytes, checked.
    func downloadMedia(id: String, declaredSHA256: String?, limit: Int) async throws -> DownloadedMedia {
        let info = try await getJSON(baseURL.appendingPathComponent(id))
        guard let urlText = info["url"] as? String, let url = URL(string: urlText) else {
            throw GraphAPIError.malformed("media \(id) has no url")
        }
        if let size = (info["file_size"] as? Int) ?? (info["file_size"] as? String).flatMap(Int.init), size > limit {
            throw GraphAPIError.tooLarge(size: size, limit: limit)
        }
        let answer: HTTPAnswer
        do {
            answer = try await send("GET", url, limit: limit)
        } catch is HTTPAnswerTooLarge {
            throw GraphAPIError.tooLarge(size: nil, limit: limit)
        }
        let data = answer.body
        let digest = SHA256.hash(data: data)
        let hex = digest.hexEncoded
        let base64 = Data(digest).base64EncodedString()
        // Meta sends the SHA-256 in the webhook and the media answer; accept hex or base64.
        for expected in [declaredSHA256, info["sha256"] as? String].compactMap({ $0 }) where expected != hex && expected != base64 {
            throw GraphAPIError.digestMismatch(expected: expected, actual: hex)
        }
        let type = (info["mime_type"] as? String) ?? answer.header("Content-Type") ?? "application/octet-stream"
        return DownloadedMedia(bytes: data, sha256: hex, contentType: type)
    }

    /// One call with the bearer token; an answer other than 2xx is a `GraphAPIError.http`.
    func send(
        _ method: String, _ url: URL, contentType: String? = nil, body: [UInt8]? = nil, limit: Int = HTTPExchange.defaultLimit,
        timeout: Duration? = nil
    ) async throws -> HTTPAnswer {
        var headers = [("Authorization", "Bearer \(token)")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        let answer = try await HTTPExchange.send(method, url, headers: headers, body: body, timeout: min(timeout ?? self.timeout, self.timeout), limit: limit)
        guard answer.isSuccess else { throw GraphAPIError.http(status: answer.status, body: answer.text()) }
        return answer
    }

    private func getJSON(_ url: URL) async throws -> [String: Any] {
        let answer = try await send("GET", url)
        guard let object = try? JSONSerialization.jsonObject(with: answer.data) as? [String: Any] else {
            throw GraphAPIError.malformed(answer.text(limit: 200))
        }
        return object
    }
}

extension GraphAPIClient {
    /// POST /{phone-number-id}/messages; returns the WhatsApp message id.
    func sendMessage(phoneNumberID: String, body: [String: Any], timeout: Duration? = nil) async throws -> String {
        let json = try JSONSerialization.data(withJSONObject: body.merging(["messaging_product": "whatsapp"]) { a, _ in a })
        let answer = try await send(
            "POST", baseURL.appendingPathComponent(phoneNumberID).appendingPathComponent("messages"), contentType: "application/json",
            body: Array(json), timeout: timeout)
        guard let object = try? JSONSerialization.jsonObject(with: answer.data) as? [String: Any],
            let messages = object["messages"] as? [[String: Any]], let id = messages.first?["id"] as? String
        else { throw GraphAPIError.malformed("no message id in \(answer.text(limit: 200))") }
        return id
    }

    /// POST /{phone-number-id}/media (multipart); returns the media id to send.
    func uploadMedia(phoneNumberID: String, bytes: [UInt8], contentType: String, fileName: String, timeout: Duration? = nil) async throws
        -> String
    {
        let boundary = "kk-\(UUID().uuidString)"
        var body = Data()
        func field(_ name: String, _ value: String) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        field("messaging_product", "whatsapp")
        field("type", contentType)
        body.append(
            Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8))
        body.append(Data(bytes))
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let answer = try await send(
            "POST", baseURL.appendingPathComponent(phoneNumberID).appendingPathComponent("media"),
            contentType: "multipart/form-data; boundary=\(boundary)", body: Array(body), timeout: timeout)
        guard let object = try? JSONSerialization.jsonObject(with: answer.data) as? [String: Any], let id = object["id"] as? String else {
            throw GraphAPIError.malformed("no media id in \(answer.text(limit: 200))")
        }
        return id
    }
}
