import Foundation
import KKHTTP

/// An S3-compatible bucket (MinIO, Ceph, a cloud store) as an archive target,
/// addressed path-style and signed with AWS Signature Version 4.
/// Configuration: `name=s3://bucket/prefix` in KK_ARCHIVE_TARGETS, and
/// KK_ARCHIVE_S3_ENDPOINT, KK_ARCHIVE_S3_REGION (default us-east-1),
/// KK_ARCHIVE_S3_ACCESS_KEY, KK_ARCHIVE_S3_SECRET_KEY or KK_ARCHIVE_S3_SECRET_KEY_FILE.
struct S3Target: ArchiveTarget {
    let name: String
    let bucket: String
    let prefix: String
    let endpoint: URL
    let signer: S3RequestSigner
    let sealing: ArchiveSealing

    var location: String { "s3://\(bucket)/\(prefix) at \(endpoint.absoluteString)" }

    init(name: String, address: String, sealing: ArchiveSealing, environment: [String: String]) throws {
        self.sealing = sealing
        let path = address.dropFirst("s3://".count).split(separator: "/", maxSplits: 1).map(String.init)
        guard let bucket = path.first, !bucket.isEmpty else { throw ArchiveError.configuration("'\(address)' names no bucket") }
        guard let text = environment["KK_ARCHIVE_S3_ENDPOINT"], let endpoint = URL(string: text), endpoint.host != nil else {
            throw ArchiveError.configuration("target '\(name)' is S3 but KK_ARCHIVE_S3_ENDPOINT (e.g. https://s3.example.go.id) is not set")
        }
        var secret = environment["KK_ARCHIVE_S3_SECRET_KEY"]
        if let file = environment["KK_ARCHIVE_S3_SECRET_KEY_FILE"] {
            guard let data = FileManager.default.contents(atPath: file) else { throw ArchiveError.configuration("cannot read \(file)") }
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let access = environment["KK_ARCHIVE_S3_ACCESS_KEY"], let secret else {
            throw ArchiveError.configuration("target '\(name)' is S3 but KK_ARCHIVE_S3_ACCESS_KEY and KK_ARCHIVE_S3_SECRET_KEY(_FILE) are not set")
        }
        self.name = name
        self.bucket = bucket
        self.prefix = path.count > 1 ? path[1].trimmingCharacters(in: CharacterSet(charactersIn: "/")) : ""
        self.endpoint = endpoint
        self.signer = S3RequestSigner(accessKey: access, secretKey: secret, region: environment["KK_ARCHIVE_S3_REGION"] ?? "us-east-1")
    }

    func url(_ sha256: String) -> URL {
        let key = prefix.isEmpty ? ArchiveTargets.key(of: sha256) : "\(prefix)/\(ArchiveTargets.key(of: sha256))"
        return endpoint.appendingPathComponent(bucket).appendingPathComponent(key)
    }

    func send(_ method: String, _ url: URL, body: [UInt8] = []) async throws -> (Int, [UInt8]) {
        let headers = signer.headers(method: method, url: url, payload: body, date: Date()).map { ($0.key, $0.value) }
        do {
            let answer = try await HTTPExchange.send(method, url, headers: headers, body: method == "PUT" ? body : nil)
            return (answer.status, answer.body)
        } catch {
            throw ArchiveError.targetUnavailable(name, "\(endpoint.absoluteString) does not answer (\(error))")
        }
    }

    func store(_ bytes: [UInt8], sha256: String) async throws {
        let (status, body) = try await send("PUT", url(sha256), body: try sealing.seal(bytes, sha256: sha256))
        guard (200..<300).contains(status) else {
            throw ArchiveError.targetUnavailable(name, "PUT answered \(status): \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        guard let back = try? await read(sha256), ArchiveTargets.digest(back) == sha256 else {
            throw ArchiveError.targetUnavailable(name, "the copy of \(sha256.prefix(12)) read back differs")
        }
    }

    func read(_ sha256: String) async throws -> [UInt8] {
        let (status, body) = try await send("GET", url(sha256))
        if status == 404 { throw ArchiveError.missing(name, sha256) }
        guard status == 200 else { throw ArchiveError.targetUnavailable(name, "GET answered \(status)") }
        return try sealing.open(body, sha256: sha256, target: name)
    }

    func isWritable() async -> Bool {
        let probe = endpoint.appendingPathComponent(bucket).appendingPathComponent(prefix.isEmpty ? ".probe" : "\(prefix)/.probe")
        guard let (status, _) = try? await send("PUT", probe, body: Array("ok".utf8)) else { return false }
        return (200..<300).contains(status)
    }

    func bytesUsed() async -> Int64? { nil }
}
