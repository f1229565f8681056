import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP request and its whole answer, over AsyncHTTPClient.
///
/// Every outgoing HTTP call of the project goes through here: the officer CLIs
/// to their services, the gateway to the Graph API, the archive to S3, the
/// sandbox's receipts, the load generator and the tests. Foundation's
/// URLSession on Linux (libcurl driven by Dispatch) spins a core while it waits
/// for an answer — two seconds of CPU for a three-second wait — which under load
/// starved the very services it was waiting for; AsyncHTTPClient waits on
/// SwiftNIO's event loop and costs nothing while it waits.
public enum HTTPExchange {
    /// The largest answer read into memory (a signed KK PDF or a photo is far smaller).
    public static let defaultLimit = 64 * 1024 * 1024

    /// One client for the process (its connections are pooled and kept alive).
    /// A peer that refuses or does not accept a connection within 5 s fails the
    /// request at once: each caller has its own retry policy (the gateway's sends,
    /// the CLI's "is the service running?" message), and a CLI must not sit for
    /// AsyncHTTPClient's default 90 s before saying the service is down.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Sends `body` to `url` and reads the answer; throws when no answer came
    /// (refused, reset, timed out) or when it is longer than `limit` bytes
    /// (`HTTPAnswerTooLarge`) — an answer with any status is returned.
    public static func send(
        _ method: String = "GET", _ url: URL, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30), limit: Int = defaultLimit
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPAnswerTooLarge(url: url, limit: limit)
        }
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// Whether `error` (from `send`) proves the request never reached the peer:
    /// no connection was made. Any other failure (a timeout or a reset after the
    /// request was written) leaves open whether the peer acted on it.
    public static func neverSent(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError: error == .connectTimeout || error == .getConnectionFromPoolTimeout
        case is NIOConnectionError: true
        case let error as ChannelError:
            if case .connectTimeout = error { true } else { false }
        case let error as IOError: [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
        default: false
        }
    }
}

/// An HTTP answer: its status, headers and whole body.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var data: Data { Data(body) }
    public func header(_ name: String) -> String? { headers.first(name: name) }
    /// The body as text, cut to `limit` bytes (for error messages).
    public func text(limit: Int = 500) -> String { String(decoding: body.prefix(limit), as: UTF8.self) }
}

/// An answer longer than the caller allowed; nothing of it is kept.
public struct HTTPAnswerTooLarge: Error, CustomStringConvertible {
    public let url: URL
    public let limit: Int
    public var description: String { "the answer of \(url.absoluteString) is longer than \(limit) bytes" }
}
