import Foundation
import KKDomain
import KKHTTP
import KKMessaging
import KKStore
import KKTesting
import Logging
import Postgres
import Testing

@testable import kk_archive

/// SOP 10 end to end: kk.documents.delivered reaches kk-archive, which copies
/// the signed PDF, the applicant's documents and the event log to three
/// targets (folders standing in for the server, a hard disk and a flash disk).
@Suite("kk-archive: layered backups, scrubbing, repair and restore", .serialized)
struct ArchiveFlowTests {
    static let services = ["kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive"]

    struct Targets {
        let root: URL
        var server: URL { root.appendingPathComponent("server") }
        var hdd: URL { root.appendingPathComponent("hdd") }
        var flash: URL { root.appendingPathComponent("flash") }
        var setting: String { "server=\(server.path),hdd=\(hdd.path),flash=\(flash.path)" }
    }

    static func start(targets setting: ((Targets) -> String)? = nil, extra: [String: String] = [:]) async throws -> (IntakeStack, Targets) {
        let targets = Targets(root: FileManager.default.temporaryDirectory.appendingPathComponent("arsip-\(UUID().uuidString.prefix(8))"))
        let stack = try await SigningFlowTests.start(
            services: services,
            extra: [
                "KK_ARCHIVE_TARGETS": setting?(targets) ?? targets.setting, "KK_ARCHIVE_RETRY_SECONDS": "1", "KK_ARCHIVE_POLL_MS": "200",
            ].merging(extra) { _, new in new })
        return (stack, targets)
    }

    /// A request signed and confirmed delivered by WhatsApp.
    static func delivered(_ stack: IntakeStack, family: Int, phone: String) async throws -> String {
        let number = try await DeliveryFlowTests.signed(stack, .dataChange, family: family, phone: phone)
        let wamid = try #require(try await DeliveryFlowTests.documents(stack, to: phone, count: 1).first?["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered")) == 200)
        return number
    }

    static func files(under folder: URL) -> [URL] {
        (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { !$0.hasDirectoryPath && $0.path.contains("/sha256/") }
    }

    @Test("archived only with three verified copies; restore gives the originals; a corrupted and a missing copy are found and repaired")
    func archiveRepairRestore() async throws {
        let (stack, targets) = try await Self.start()
        defer { stack.stop() }
        let number = try await Self.delivered(stack, family: 2, phone: "6281600000001")
        try await DeliveryFlowTests.waitForState(stack, number, .archived)
        // The signed PDF, two applicant documents and the event log, on each target.
        for target in [targets.server, targets.hdd, targets.flash] { #expect(Self.files(under: target).count == 4, "\(target.path)") }
        // Each copy is sealed (AES-GCM under KK_ARCHIVE_KEY_FILE's key) and readable by the service's user alone.
        for file in [targets.server, targets.hdd, targets.flash].flatMap(Self.files(under:)) {
            let stored = try Data(contentsOf: file)
            #expect(stored.starts(with: Array("KKARSIP1".utf8)), "\(file.path) is not sealed")
            #expect(stored.range(of: Data("%PDF".utf8)) == nil && stored.range(of: Data("tandatangani".utf8)) == nil, "\(file.path) holds plaintext")
            #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) == 0o600, "\(file.path)")
        }
        #expect(try await stack.pool.query("SELECT payload FROM outbox WHERE topic LIKE '%kk.documents.archived'").rows.count == 1)

        let restored = FileManager.default.temporaryDirectory.appendingPathComponent("pulih-\(UUID().uuidString.prefix(6))")
        let restore = try stack.officer("joko", ["restore", number, "--out", restored.path], tool: "kk-archive")
        #expect(restore.status == 0, "\(restore.output)")
        let pdf = try await stack.pool.query("SELECT m.bytes, m.file_name FROM kk_documents d JOIN media m ON m.id = d.media_id").rows[0]
        let pdfName = try pdf.decode("file_name", as: String.self)
        #expect(Array(try Data(contentsOf: restored.appendingPathComponent("kk/\(pdfName)"))) == (try pdf.decode("bytes", as: [UInt8].self)))
        let photos = try await stack.pool.query(
            "SELECT bytes FROM media WHERE document_kind IS NOT NULL ORDER BY created_at, id"
        ).rows.map { try $0.decode("bytes", as: [UInt8].self) }
        let restoredPhotos = try FileManager.default.contentsOfDirectory(atPath: restored.appendingPathComponent("dokumen").path).sorted()
        #expect(restoredPhotos.count == photos.count)
        for (name, bytes) in zip(restoredPhotos, photos) {
            #expect(Array(try Data(contentsOf: restored.appendingPathComponent("dokumen/\(name)"))) == bytes)
        }
        let log = try String(contentsOf: restored.appendingPathComponent("riwayat-permohonan.jsonl"), encoding: .utf8)
        #expect(log.contains("\"tindakan\":\"tandatangani\"") && log.contains("\"tindakan\":\"kirim\""))

        // Damage one copy on the hard disk (one byte of its ciphertext) and lose one on the flash disk.
        let damaged = try #require(Self.files(under: targets.hdd).first)
        var sealed = try Data(contentsOf: damaged)
        sealed[sealed.count / 2] ^= 0x01
        try sealed.write(to: damaged)
        let lost = try #require(Self.files(under: targets.flash).last)
        try FileManager.default.removeItem(at: lost)
        let verify = try stack.officer("joko", ["verify"], tool: "kk-archive")
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("RUSAK  hdd") && verify.output.contains("HILANG  flash") && verify.output.contains("2 diperbaiki"), "\(verify.output)")
        #expect(try Data(contentsOf: damaged).starts(with: Array("KKARSIP1".utf8)) && Data(contentsOf: damaged) != sealed, "resealed from a good copy")
        #expect(FileManager.default.fileExists(atPath: lost.path))
        let again = try stack.officer("joko", ["verify"], tool: "kk-archive")
        #expect(again.output.contains("0 diperbaiki"), "\(again.output)")
    }

    @Test(
        "SOP 10 in two steps: the transaction that records the copies writes no file (without copies the request waits for the retry, the targets stay empty); copied first, it is archived with each file's digest as copied"
    )
    func copyThenRecord() async throws {
        // The print officer's mode: the daemon leaves the delivered request to this test.
        let (stack, targets) = try await Self.start(extra: ["KK_ARCHIVE_MODE": "print-officer"])
        defer { stack.stop() }
        let number = try await Self.delivered(stack, family: 3, phone: "6281600000003")
        try await DeliveryFlowTests.waitForState(stack, number, .delivered)
        let settings = try ArchiveSettings.from(ProcessInfo.processInfo.environment.merging(stack.environment) { _, stack in stack })
        let archiver = RequestArchiver(settings: settings, logger: Logger(label: "kk-tests"))
        let request = try await stack.pool.withTransaction { try await RequestStore.load(number: number, in: $0) }
        let documentID = try #require(try await stack.pool.withTransaction { try await SignedDocuments.latest(of: request.id, in: $0)?.id })
        let folders = [targets.server, targets.hdd, targets.flash]

        // Without copies: nothing archived, nothing written, the shortfall waits (an hour ahead, out of the daemon's retrier's way).
        let withoutCopies = try await stack.pool.withTransaction { tx in
            try await archiver.archive(request.id, documentID: documentID, copied: .init(), in: tx, now: Date().addingTimeInterval(3600))
        }
        #expect(withoutCopies.isEmpty)
        #expect(folders.flatMap(Self.files(under:)).isEmpty, "the recording transaction wrote no file")
        let waiting = try await stack.pool.query("SELECT last_error FROM archive_pending WHERE request_id = \(request.id)").rows
        #expect(try waiting.first?.decode("last_error", as: String?.self)?.contains("kurang salinan: kk/") == true)
        #expect(try await stack.state(of: number) == RequestState.delivered.rawValue)

        // Copied first (no transaction open), then recorded: archived, and no longer waiting.
        let copies = try await archiver.copy(request.id, pool: stack.pool)
        #expect(copies.version == request.version && copies.files.count == 4 && copies.problems.isEmpty, "\(copies.problems)")
        for folder in folders { #expect(Self.files(under: folder).count == 4, "\(folder.path)") }
        let archived = try await stack.pool.withTransaction { tx in
            try await archiver.archive(request.id, documentID: documentID, copied: copies, in: tx)
        }
        #expect(archived.map(\.topic) == [Topic.documentsArchived.rawValue])
        #expect(try await stack.state(of: number) == RequestState.archived.rawValue)
        #expect(try await stack.pool.query("SELECT 1 AS x FROM archive_pending WHERE request_id = \(request.id)").rows.isEmpty)
        let recorded = try await stack.pool.query("SELECT sha256 FROM archive_items WHERE request_id = \(request.id)").rows.map {
            try $0.decode("sha256", as: String.self)
        }
        #expect(Set(recorded) == Set(copies.files.map(\.sha256)) && recorded.count == 4)
        // Each file's copies on all three targets are the ones recorded.
        let copied = try await stack.pool.query(
            "SELECT count(*)::bigint AS n FROM archive_copies WHERE sha256 = ANY(\(PostgresTextArray(recorded)))"
        ).rows[0].decode("n", as: Int64.self)
        #expect(copied == 12)
    }

    @Test("a target that is down delays archiving without losing anything; archiving finishes when it comes back")
    func targetDown() async throws {
        let (stack, targets) = try await Self.start()
        defer { stack.stop() }
        // The flash disk is not mounted: its path is a plain file, so nothing can be written there.
        try FileManager.default.createDirectory(at: targets.root, withIntermediateDirectories: true)
        try Data("bukan folder".utf8).write(to: targets.flash)
        let number = try await Self.delivered(stack, family: 4, phone: "6281600000002")
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline,
            try await stack.pool.query("SELECT 1 AS x FROM archive_pending").rows.isEmpty
        {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await stack.state(of: number) == RequestState.delivered.rawValue)
        let status = try stack.officer("joko", ["status"], tool: "kk-archive")
        #expect(status.output.contains("flash") && status.output.contains("TIDAK DAPAT DITULIS") && status.output.contains(number), "\(status.output)")
        #expect(Self.files(under: targets.server).count == 4 && Self.files(under: targets.hdd).count == 4)

        try FileManager.default.removeItem(at: targets.flash)
        try await DeliveryFlowTests.waitForState(stack, number, .archived)
        #expect(Self.files(under: targets.flash).count == 4)
        #expect(try await stack.pool.query("SELECT 1 AS x FROM archive_pending").rows.isEmpty)
    }
}

extension ArchiveFlowTests {
    @Test("an S3-compatible store as the third target: the copies land in the bucket, a deleted object is repaired, restore reads from it")
    func s3Target() async throws {
        let moto = try await S3StandIn.start()
        defer { moto.stop() }
        let (stack, targets) = try await Self.start(
            targets: { "server=\($0.server.path),hdd=\($0.hdd.path),cloud=s3://arsip-kk/bantul" },
            extra: [
                "KK_ARCHIVE_S3_ENDPOINT": moto.endpoint, "KK_ARCHIVE_S3_ACCESS_KEY": "uji", "KK_ARCHIVE_S3_SECRET_KEY": "rahasia-uji",
                "KK_ARCHIVE_S3_REGION": "us-east-1",
            ])
        defer { stack.stop() }
        let number = try await Self.delivered(stack, family: 6, phone: "6281600000003")
        try await DeliveryFlowTests.waitForState(stack, number, .archived)
        let keys = try await moto.keys(prefix: "bantul/sha256/")
        #expect(keys.count == 4, "\(keys)")
        let status = try stack.officer("joko", ["status"], tool: "kk-archive")
        #expect(status.output.contains("cloud    SEHAT  s3://arsip-kk/bantul"), "\(status.output)")

        try await moto.delete(keys[0])
        let verify = try stack.officer("joko", ["verify"], tool: "kk-archive")
        #expect(verify.output.contains("HILANG  cloud") && verify.output.contains("1 diperbaiki"), "\(verify.output)")
        #expect(try await moto.keys(prefix: "bantul/sha256/").count == 4)

        // With both folders gone, restore still brings everything back from the bucket.
        try FileManager.default.removeItem(at: targets.server)
        try FileManager.default.removeItem(at: targets.hdd)
        let restored = FileManager.default.temporaryDirectory.appendingPathComponent("pulih-s3-\(UUID().uuidString.prefix(6))")
        let restore = try stack.officer("joko", ["restore", number, "--out", restored.path], tool: "kk-archive")
        #expect(restore.status == 0, "\(restore.output)")
        let pdf = try await stack.pool.query("SELECT m.bytes, m.file_name FROM kk_documents d JOIN media m ON m.id = d.media_id").rows[0]
        #expect(
            Array(try Data(contentsOf: restored.appendingPathComponent("kk/\(try pdf.decode("file_name", as: String.self))")))
                == (try pdf.decode("bytes", as: [UInt8].self)))
    }
}

/// moto's S3-compatible server (installed by `make setup`), on a free port.
struct S3StandIn {
    let process: Process
    let endpoint: String

    static func start() async throws -> S3StandIn {
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestStack.environment("KK_MOTO_SERVER"))
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let endpoint = "http://127.0.0.1:\(port)"
        let stand = S3StandIn(process: process, endpoint: endpoint)
        for _ in 0..<100 {
            if (try? await HTTPExchange.send("GET", URL(string: endpoint)!)) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let (status, _) = try await stand.send("PUT", "/arsip-kk")
        #expect(status == 200, "moto did not create the bucket")
        return stand
    }

    /// A request signed as kk-archive signs its own.
    func send(_ method: String, _ path: String) async throws -> (Int, String) {
        let url = URL(string: endpoint + path)!
        let signer = S3RequestSigner(accessKey: "uji", secretKey: "rahasia-uji", region: "us-east-1")
        let headers = signer.headers(method: method, url: url, payload: [], date: Date()).map { ($0.key, $0.value) }
        let answer = try await HTTPExchange.send(method, url, headers: headers)
        return (answer.status, answer.text(limit: .max))
    }

    func keys(prefix: String) async throws -> [String] {
        let (_, xml) = try await send("GET", "/arsip-kk?prefix=\(prefix)")
        return xml.matches(of: /<Key>([^<]+)<\/Key>/).map { String($0.1) }
    }

    func delete(_ key: String) async throws {
        let (status, body) = try await send("DELETE", "/arsip-kk/\(key)")
        #expect(status == 204, "DELETE \(key): \(status) \(body)")
    }

    /// SIGKILL: the test runner ignores SIGTERM (for its own signal handling), and a child inherits that.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
