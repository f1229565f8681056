import Foundation
import Hummingbird
import HummingbirdTesting
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKService
import KKStore
import KKTesting
import Postgres
import Testing

/// An operation only a Kasi/Kabid may run: it records a note in the audit-free
/// `step_metric_cursors` table (any write the test can see will do) and fails
/// on request, after writing, to show that the write and its audit entry roll
/// back together.
struct RecordMark: OfficerOperation {
    static let name = "tandai"
    static let allowed: Set<Role> = [.verifier]
    let mark: String
    let failAfterWriting: Bool

    func perform(_ call: OfficerCall) async throws -> Done {
        try await call.transaction { tx in
            try await tx.execute("INSERT INTO step_metric_cursors (service, observed_to) VALUES (\(mark), now())")
            if failAfterWriting { throw CLIFailure("Gagal setelah menulis: tidak ada yang tersimpan.") }
        }
        return Done()
    }
}

/// The officer API in-process (Hummingbird's router test framework) on the
/// real database: sign-in, tokens, roles and the audit, as an attacker calling
/// the routes directly would meet them.
@Suite("Officer API: sign-in, tokens, roles and audit, enforced by the service")
struct OfficerAPITests {
    static let service = OfficerService(name: "kk-uji", defaultAPIPort: 0)
    static let password = "kata-sandi-petugas"

    struct Fixture: Sendable {
        let pool: PostgresPool
        let directory: OfficerDirectory

        var router: Router<BasicRequestContext> {
            OfficerAPI(service: OfficerAPITests.service, operations: [RecordMark.self]).router(pool: pool, policy: .standard, logger: TestStack.logger)
        }
    }

    static func fixture() async throws -> Fixture {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: OfficerTests.fast)
        _ = try await directory.add(username: "siti", fullName: "Siti Rahayu", nip: "198507122010012001", role: .serviceOfficer, password: password)
        _ = try await directory.add(username: "bambang", fullName: "Bambang Suryanto", nip: "197803152005011002", role: .verifier, password: password)
        return Fixture(pool: pool, directory: directory)
    }

    static func json<T: Encodable>(_ value: T) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder().encode(value)) }

    static func failure(_ response: TestResponse) throws -> OfficerAPIFailure {
        try JSONDecoder().decode(OfficerAPIFailure.self, from: Data(response.body.readableBytesView))
    }

    static func signIn(_ client: some TestClientProtocol, _ username: String, password: String = Self.password) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/uji/sesi", method: .post, headers: [.contentType: "application/json"],
            body: json(SignInRequest(username: username, password: password)))
    }

    static func token(_ client: some TestClientProtocol, _ username: String) async throws -> String {
        let response = try await signIn(client, username)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(SignInResponse.self, from: Data(response.body.readableBytesView)).token
    }

    static func mark(_ client: some TestClientProtocol, token: String?, _ mark: String, fail: Bool = false) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/api/v1/uji/tandai", method: .post, headers: headers, body: json(RecordMark(mark: mark, failAfterWriting: fail)))
    }

    static func count(_ sql: String, _ pool: PostgresPool) async throws -> Int64 {
        try await pool.query(PostgresQuery(unsafeSQL: sql)).rows[0].decode(0, as: Int64.self)
    }

    @Test("sign-in gives a token the database holds only as a hash; whoami names the officer; logout ends the token")
    func signInAndOut() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            let token = try await Self.token(client, "bambang")
            #expect(
                try await Self.count("SELECT count(*)::bigint FROM officer_sessions WHERE token_sha256 = '\(OfficerSessionsFixture.digest(token))'", f.pool)
                    == 1)
            #expect(try await Self.count("SELECT count(*)::bigint FROM officer_sessions WHERE token_sha256 = '\(token)'", f.pool) == 0)
            let who = try await client.execute(uri: "/api/v1/uji/sesi", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(who.status == .ok)
            #expect(try JSONDecoder().decode(OfficerProfile.self, from: Data(who.body.readableBytesView)).roleName == "Kasi/Kabid")
            #expect(try await Self.mark(client, token: token, "tanda-1").status == .ok)
            #expect(try await client.execute(uri: "/api/v1/uji/sesi", method: .delete, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let after = try await Self.mark(client, token: token, "tanda-2")
            #expect(after.status == .unauthorized)
            #expect(try Self.failure(after).message.contains("Anda belum masuk"))
        }
        #expect(try await Self.count("SELECT count(*)::bigint FROM step_metric_cursors", f.pool) == 1)
        await f.pool.close()
    }

    @Test("no token, a forged token, an expired one and a revoked one are each refused with 401 and a message saying to sign in; nothing is written")
    func badTokens() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            let none = try await Self.mark(client, token: nil, "tanpa-token")
            #expect(none.status == .unauthorized)
            let forged = try await Self.mark(client, token: "dGVyc2VyYWgtc2FqYS10b2tlbi1wYWxzdQ", "palsu")
            #expect(forged.status == .unauthorized)
            #expect(try Self.failure(forged).message.contains("Jalankan perintah `login`"))

            let expiring = try await Self.token(client, "bambang")
            try await f.pool.execute(
                "UPDATE officer_sessions SET last_used_at = now() - interval '20 minutes' WHERE token_sha256 = \(OfficerSessionsFixture.digest(expiring))")
            let expired = try await Self.mark(client, token: expiring, "kedaluwarsa")
            #expect(expired.status == .unauthorized)
            #expect(try Self.failure(expired).message.contains("Sesi Anda sudah berakhir"))

            let revoking = try await Self.token(client, "bambang")
            #expect(try await f.directory.revokeSessions(of: "bambang") >= 1)
            #expect(try await Self.mark(client, token: revoking, "dicabut").status == .unauthorized)
        }
        #expect(try await Self.count("SELECT count(*)::bigint FROM step_metric_cursors", f.pool) == 0)
        await f.pool.close()
    }

    @Test("an officer calling another role's operation directly over HTTP is refused 403, audited, and nothing changes")
    func wrongRoleOverHTTP() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            let token = try await Self.token(client, "siti")
            let refused = try await Self.mark(client, token: token, "bukan-wewenang")
            #expect(refused.status == .forbidden)
            #expect(
                try Self.failure(refused).message.contains(
                    "Perintah 'tandai' hanya boleh dijalankan oleh Kasi/Kabid; Anda masuk sebagai Petugas Unit Layanan & Entri"))
        }
        #expect(try await Self.count("SELECT count(*)::bigint FROM step_metric_cursors", f.pool) == 0)
        #expect(
            try await Self.count("SELECT count(*)::bigint FROM audit_log WHERE username = 'siti' AND command = 'tandai' AND outcome = 'refused'", f.pool) == 1)
        await f.pool.close()
    }

    @Test("the audit entry commits with the action: a failure after writing leaves neither the write nor an 'ok' entry, and is audited as failed")
    func auditInTheSameTransaction() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            let token = try await Self.token(client, "bambang")
            let failed = try await Self.mark(client, token: token, "setengah-jalan", fail: true)
            #expect(failed.status == .unprocessableContent)
            #expect(try Self.failure(failed).message == "Gagal setelah menulis: tidak ada yang tersimpan.")
            #expect(try await Self.mark(client, token: token, "utuh").status == .ok)
        }
        #expect(try await Self.count("SELECT count(*)::bigint FROM step_metric_cursors WHERE service = 'setengah-jalan'", f.pool) == 0)
        let outcomes = try await f.pool.query("SELECT outcome FROM audit_log WHERE command = 'tandai' ORDER BY id").rows.map {
            try $0.decode("outcome", as: String.self)
        }
        #expect(outcomes == ["failed", "ok"])
        await f.pool.close()
    }

    @Test("wrong passwords over the API: 401 each, then 423 with the time the lock ends; a malformed body is 400")
    func lockoutOverHTTP() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            for _ in 0..<4 { #expect(try await Self.signIn(client, "siti", password: "salah-sandi-xx").status == .unauthorized) }
            let locked = try await Self.signIn(client, "siti", password: "salah-sandi-xx")
            #expect(locked.status.code == 423)
            #expect(try Self.failure(locked).message.hasPrefix("Akun dikunci sampai "))
            #expect(try await Self.signIn(client, "siti").status.code == 423)
            let malformed = try await client.execute(uri: "/api/v1/uji/sesi", method: .post, body: ByteBuffer(string: "{\"username\":"))
            #expect(malformed.status == .badRequest)
        }
        await f.pool.close()
    }

    @Test(
        "what no CLI sends: a body over 32 MiB is 413, fields of the wrong type 400, an overlong token 401, an unknown operation 404; each with nothing written"
    )
    func hostileRequests() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router).test(.router) { client in
            let token = try await Self.token(client, "bambang")
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let huge = try await client.execute(
                uri: "/api/v1/uji/tandai", method: .post, headers: auth, body: ByteBuffer(repeating: UInt8(ascii: " "), count: OfficerAPI.bodyLimit + 1))
            #expect(huge.status == .contentTooLarge)
            #expect(try Self.failure(huge).message == "Permintaan melebihi 32 MiB.")
            let wrongType = try await client.execute(
                uri: "/api/v1/uji/tandai", method: .post, headers: auth, body: ByteBuffer(string: #"{"mark":42,"failAfterWriting":"ya"}"#))
            #expect(wrongType.status == .badRequest)
            #expect(try Self.failure(wrongType).message.contains("pastikan versi CLI sama dengan versi layanan"))
            let overlong = try await Self.mark(client, token: String(repeating: "A", count: 4096), "token-panjang")
            #expect(overlong.status == .unauthorized)
            let unknown = try await client.execute(uri: "/api/v1/uji/hapus-semua", method: .post, headers: auth, body: ByteBuffer(string: "{}"))
            #expect(unknown.status == .notFound)
        }
        #expect(try await Self.count("SELECT count(*)::bigint FROM step_metric_cursors", f.pool) == 0)
        await f.pool.close()
    }

    @Test("a service address that is not an http(s) URL is refused before anything is sent, with an example")
    func invalidServerAddress() throws {
        for address in ["127.0.0.1:9201", "ftp://petugas.example", "http://"] {
            do {
                _ = try OfficerAPIClient(service: .intake, server: address, environment: [:])
                Issue.record("\(address) was accepted")
            } catch let failure as CLIFailure {
                #expect(failure.description.contains("Alamat layanan '\(address)' tidak sah; contoh: KK_INTAKE_URL="), "\(failure)")
            }
        }
        #expect(try OfficerAPIClient(service: .intake, environment: [:]).baseURL.absoluteString == "http://127.0.0.1:9201")
        #expect(try OfficerAPIClient(service: .intake, environment: ["KK_API_URL": "https://petugas.example"]).baseURL.host == "petugas.example")
    }

    @Test("the session token file is created 0600 in one step, and one that others can read is refused")
    func tokenFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sesi-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["KK_SESSION_FILE": folder.appendingPathComponent("kk/session").path]
        try SessionTokenFile.write("token-rahasia", environment: environment)
        let path = SessionTokenFile.path(environment: environment).path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try SessionTokenFile.read(environment: environment) == "token-rahasia")
        try SessionTokenFile.write("token-baru", environment: environment)
        #expect(try SessionTokenFile.read(environment: environment) == "token-baru")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("kk").path) == ["session"], "no temporary file left")
        chmod(path, 0o644)
        #expect(throws: CLIFailure.self) { try SessionTokenFile.read(environment: environment) }
    }
}
