import Foundation
import Hummingbird
import HummingbirdTesting
import KKDomain
import KKHTTP
import KKStore
import KKTesting
import Postgres
import Testing

@testable import kk_archive

// kk-archive's public verification page in process (issue 19 item 7): the per-client limit,
// and what it answers before any KK exists. The page's answers about issued KKs are in
// SystemTests' PublicVerificationTests, on the running services.

@Suite("The public routes' rate limit")
struct ClientRateLimiterTests {
    @Test("each client gets its limit per one-minute window, then a new window; clients beyond the table's size are refused, known ones still counted")
    func windows() {
        let limiter = ClientRateLimiter(perMinute: 3, maximumClients: 2)
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect((0..<4).map { _ in limiter.admit("a", now: start) } == [true, true, true, false])
        #expect(limiter.admit("b", now: start.addingTimeInterval(1)))
        #expect(!limiter.admit("c", now: start.addingTimeInterval(2)), "a third client does not fit the table this minute")
        #expect(limiter.admit("b", now: start.addingTimeInterval(3)), "a client already counted goes on")
        #expect(limiter.admit("a", now: start.addingTimeInterval(60)) && limiter.admit("c", now: start.addingTimeInterval(61)), "a new minute, a new window")
    }
}

@Suite("The public verification page in process: what it answers before any KK exists")
struct PublicVerificationRouteTests {
    @Test("an unknown or malformed code is 'not found' (404) and recorded; the page names no input back; over the limit is 429 and not recorded")
    func unknownAndLimited() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let page = PublicVerificationPage(pool: pool, logger: TestStack.logger, perClientPerMinute: 2, overallPerMinute: 100)
        try await Application(router: page.router()).test(.router) { client in
            let unknown = try await client.execute(uri: "/verifikasi/\(UUID().uuidString)?h=\(String(repeating: "ab", count: 32))", method: .get)
            #expect(unknown.status == .notFound && String(buffer: unknown.body).contains("KK TIDAK DITEMUKAN"), "\(String(buffer: unknown.body))")
            #expect(unknown.headers[.cacheControl] == "no-store")
            let malformed = try await client.execute(uri: "/verifikasi/%3Cb%3E?h=%3Cscript%3E", method: .get)
            #expect(malformed.status == .notFound && !String(buffer: malformed.body).contains("<script>"))
            let limited = try await client.execute(uri: "/verifikasi/x", method: .get)
            #expect(limited.status == .tooManyRequests && String(buffer: limited.body).contains("TERLALU BANYAK PEMERIKSAAN"))
        }
        let recorded = try await pool.query("SELECT outcome, document_id FROM public_verifications").rows
        let outcomes = try recorded.map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["tidak_ditemukan", "tidak_ditemukan"])
    }
}
