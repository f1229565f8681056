import Foundation
import KKTesting
import Postgres
import Testing

@testable import kk_gateway

/// The webhook inbox's claims on the real database: one body to one worker at a
/// time, one applicant's bodies in the order they came, a claim renewed while its
/// body is worked on, and a body whose gateway was killed (its claim never renewed)
/// taken by another once the lease has run out.
@Suite("The webhook inbox: leases and order")
struct WebhookInboxTests {
    /// Long enough that no claim runs out by itself during the test, however busy the machine.
    static let lease = Duration.seconds(120)

    static func claimedUntil(_ id: Int64, _ pool: PostgresPool) async throws -> Date {
        try await pool.query("SELECT claimed_until FROM wa_webhook_inbox WHERE id = \(id)").rows[0].decode("claimed_until", as: Date.self)
    }

    @Test(
        "a claimed body is nobody else's; one applicant's later body waits for the earlier; a claim is renewed while its body is worked on; a body whose gateway died is claimed again once its lease has run out, as the next attempt"
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
        #expect(try await inbox.claim(lease: Self.lease) == nil, "a claimed body, or wa-a's second before its first was done, was handed out")

        // Worked on: the claim is renewed (its end moves on) until the work is done.
        let claimed = try await Self.claimedUntil(first.id, pool)
        await inbox.holding(first.id, lease: Self.lease, every: .milliseconds(100)) {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, (try? await Self.claimedUntil(first.id, pool)).map({ $0 > claimed }) != true {
                try? await Task.sleep(for: .milliseconds(50))
            }
            #expect(await (try? Self.claimedUntil(first.id, pool)).map { $0 > claimed } == true, "the claim of a body being worked on was not renewed")
        }
        try await inbox.finish(first.id)
        let second = try #require(try await inbox.claim(lease: Self.lease), "wa-a's second body once the first was recorded")
        #expect(second.body == Array(#"{"second":2}"#.utf8))

        // wa-b's body was claimed by a gateway that died: nobody renewed it, and its lease has run out.
        try await pool.execute("UPDATE wa_webhook_inbox SET claimed_until = now() - interval '1 second' WHERE id = \(other.id)")
        let again = try #require(try await inbox.claim(lease: Self.lease), "a body whose lease ran out is claimed again")
        #expect(again.id == other.id && again.attempt == 2)
        #expect(try await inbox.depth() == (waiting: 2, dead: 0))
    }

    @Test(
        "a batch claim hands out the oldest body of each applicant, at most as many as asked, never one behind another of the same applicant; a body given back is due again"
    )
    func batchClaims() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        defer { Task { await pool.close() } }
        let inbox = WebhookInbox(pool: pool)
        for (n, sender) in ["wa-a", "wa-a", "wa-b", "wa-c", "wa-d"].enumerated() {
            try await inbox.store(Array(#"{"n":\#(n)}"#.utf8), senderRef: sender)
        }
        let three = try await inbox.claim(lease: Self.lease, upTo: 3)
        #expect(three.map { String(decoding: $0.body, as: UTF8.self) } == [#"{"n":0}"#, #"{"n":2}"#, #"{"n":3}"#])
        let rest = try await inbox.claim(lease: Self.lease, upTo: 10)
        #expect(rest.map { String(decoding: $0.body, as: UTF8.self) } == [#"{"n":4}"#], "wa-a's second waits for its first")
        try await inbox.finish(three[0].id)
        #expect(try await inbox.claim(lease: Self.lease, upTo: 10).map { String(decoding: $0.body, as: UTF8.self) } == [#"{"n":1}"#])
        // A body claimed ahead and given back at shutdown is due again at once, the claim not counted as an attempt.
        try await inbox.release(rest.map(\.id))
        let back = try await inbox.claim(lease: Self.lease, upTo: 10)
        #expect(back.map(\.id) == rest.map(\.id) && back.first?.attempt == 1, "\(back)")
    }
}
