import Foundation
import Postgres
import Testing

@testable import kk_gateway

/// The webhook inbox's claims on the real database: one body to one worker at a
/// time, one applicant's bodies in the order they came, a claim renewed while its
/// body is worked on, and a body whose gateway was killed (its claim never renewed)
/// taken by another once the lease ends.
@Suite("The webhook inbox: leases and order")
struct WebhookInboxTests {
    static let lease = Duration.seconds(2)

    /// Whether the body's claim has ended (a claim by another worker would take it now).
    static func leaseEnded(_ id: Int64, _ pool: PostgresPool) async throws -> Bool {
        try await pool.query("SELECT claimed_until < now() AS ended FROM wa_webhook_inbox WHERE id = \(id)").rows[0].decode("ended", as: Bool.self)
    }

    @Test(
        "a claimed body is nobody else's while its lease is renewed; one applicant's later body waits for the earlier; a body whose gateway died is claimed again once its lease ends, as the next attempt"
    )
    func leases() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 3, logger: TestStack.logger)
        defer { Task { await pool.close() } }
        let inbox = WebhookInbox(pool: pool)
        try await inbox.store(Array(#"{"first":1}"#.utf8), senderRef: "wa-a")
        try await inbox.store(Array(#"{"second":2}"#.utf8), senderRef: "wa-a")
        try await inbox.store(Array(#"{"other":3}"#.utf8), senderRef: "wa-b")

        // The first worker takes wa-a's first body; wa-a's second waits behind it, wa-b's does not.
        let first = try #require(try await inbox.claim(lease: Self.lease))
        #expect(first.body == Array(#"{"first":1}"#.utf8) && first.attempt == 1)
        let other = try #require(try await inbox.claim(lease: Self.lease))
        #expect(other.body == Array(#"{"other":3}"#.utf8))
        #expect(try await inbox.claim(lease: Self.lease) == nil, "wa-a's second body was handed out before its first was done")

        // Worked on for longer than a lease: renewed, so nobody else takes it meanwhile.
        await inbox.holding(first.id, lease: Self.lease) {
            let until = ContinuousClock.now + Self.lease * 2
            while ContinuousClock.now < until {
                #expect(await (try? Self.leaseEnded(first.id, pool)) == false, "the lease of a body being worked on ended")
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        try await inbox.finish(first.id)
        let second = try #require(try await inbox.claim(lease: Self.lease), "wa-a's second body once the first was recorded")
        #expect(second.body == Array(#"{"second":2}"#.utf8))

        // wa-b's body was claimed by a gateway that died: nobody renews it, and once the lease ends it is taken again.
        while try await !Self.leaseEnded(other.id, pool) { try await Task.sleep(for: .milliseconds(100)) }
        let again = try #require(try await inbox.claim(lease: Self.lease), "a body whose lease ended is claimed again")
        #expect(again.id == other.id && again.attempt == 2)
        #expect(try await inbox.depth() == (waiting: 2, dead: 0))
    }
}
