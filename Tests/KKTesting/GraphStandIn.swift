import Crypto
import Foundation
import Hex
import Hummingbird
import Synchronization

/// A local HTTP server in the place of Meta's Graph API (the one stand-in the
/// project allows): media metadata and media bytes, behind the bearer token.
package struct GraphStandIn {
    package static let token = "test-token-123"
    package let port: Int
    package let task: Task<Void, any Error>
    /// Media metadata requests per media id.
    package let calls: MediaCalls

    /// Counts the stand-in's media metadata requests.
    package final class MediaCalls: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        /// Counts one more request for `id`; returns its number (1 for the first).
        package func next(_ id: String) -> Int {
            counts.withLock { counts in
                counts[id, default: 0] += 1
                return counts[id]!
            }
        }

        /// How many times media `id`'s metadata was asked for.
        package func count(_ id: String) -> Int { counts.withLock { $0[id, default: 0] } }
    }

    /// `files`: media id -> (bytes, declared sha256 or nil for the true one); `failing`: media id ->
    /// how many of its first metadata requests are answered 503 (`Int.max`: every one).
    package static func start(files: [String: (bytes: [UInt8], sha256: String?)], failing: [String: Int] = [:]) async throws -> GraphStandIn {
        let port = freePort()
        let router = Router()
        let calls = MediaCalls()
        router.get(":id") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return Response(status: .unauthorized) }
            let id = context.parameters.get("id") ?? ""
            if calls.next(id) <= failing[id, default: 0] { return Response(status: .serviceUnavailable) }
            guard let file = files[id] else { return Response(status: .notFound) }
            let sha = file.sha256 ?? SHA256.hash(data: file.bytes).hexEncoded
            let json =
                "{\"url\":\"http://127.0.0.1:\(port)/files/\(id)\",\"mime_type\":\"image/jpeg\",\"sha256\":\"\(sha)\",\"file_size\":\(file.bytes.count),\"id\":\"\(id)\"}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        router.get("files/:id") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return Response(status: .unauthorized) }
            guard let file = files[context.parameters.get("id") ?? ""] else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: TestStack.logger)
        let task = Task { try await app.runService() }
        return GraphStandIn(port: port, task: task, calls: calls)
    }
}
