import Foundation
import KKDomain
import Postgres

/// The gateway's record of each message it hands to the Graph API
/// (`wa_outbound`, migration 0021). A send is claimed (`sending`) in a short
/// transaction of its own, made with no transaction open, and recorded (`sent`)
/// in the consumer's transaction: a crash in between leaves the row `sending`,
/// which the next delivery of the message finds in doubt.
enum SendLedger {
    /// What a claim found.
    enum Claim: Equatable {
        /// The message is ours to send (first time, or again after WhatsApp refused it).
        case claimed
        /// Sent, in doubt or already handed to the print officer: nothing to send.
        case settled
        /// Claimed earlier and never settled: that send may or may not have reached WhatsApp.
        case unsettled(claimedAt: Date)
    }

    static func claim(
        _ messageID: String, _ outbound: WhatsAppOutbound, author: String?, viaTemplate: Bool, pool: PostgresPool
    ) async throws -> Claim {
        // A message WhatsApp refused ('failed') may be claimed again: a dead letter replayed.
        let claimed = try await pool.query(
            """
            INSERT INTO wa_outbound (message_id, applicant_ref, request_id, kind, via_template, state, claimed_at, body, author)
            VALUES (\(messageID), \(outbound.applicantRef), \(outbound.requestId), \(outbound.kind.rawValue), \(viaTemplate), 'sending', now(),
                \(outbound.text), \(author))
            ON CONFLICT (message_id) DO UPDATE SET state = 'sending', tries = wa_outbound.tries + 1, claimed_at = now(),
                via_template = EXCLUDED.via_template, last_error = NULL
            WHERE wa_outbound.state = 'failed'
            RETURNING tries
            """
        ).rows
        if !claimed.isEmpty { return .claimed }
        let rows = try await pool.query("SELECT state, claimed_at FROM wa_outbound WHERE message_id = \(messageID)").rows
        guard let row = rows.first else { return .claimed }
        guard try row.decode("state", as: String.self) == "sending" else { return .settled }
        return .unsettled(claimedAt: try row.decode("claimed_at", as: Date.self))
    }

    /// Waits until `deadline` for WhatsApp's status of an unsettled send. True when a status
    /// settled it, or when one is in the webhook inbox not yet recorded (behind an earlier
    /// body of the applicant, or retried): WhatsApp took the message, and the inbox will
    /// settle it. False when nothing came: the message may be sent again.
    static func awaitStatus(of messageID: String, until deadline: Date, pool: PostgresPool) async throws -> Bool {
        while Date() < deadline {
            let rows = try await pool.query("SELECT state FROM wa_outbound WHERE message_id = \(messageID)").rows
            if try rows.first?.decode("state", as: String.self) != "sending" { return true }
            try await Task.sleep(for: .milliseconds(min(500, max(1, Int(deadline.timeIntervalSinceNow * 1000)))))
        }
        // Bodies leave the inbox once recorded; the status echoes the message id as its callback data.
        let waiting = try await pool.query(
            """
            SELECT EXISTS (SELECT 1 FROM wa_webhook_inbox WHERE position(convert_to(\(messageID), 'UTF8') IN body) > 0) AS waiting
            """
        ).rows
        return try waiting.first?.decode("waiting", as: Bool.self) ?? false
    }

    /// Takes an unsettled text for one more try; false when a status settled it meanwhile.
    static func reclaim(_ messageID: String, pool: PostgresPool) async throws -> Bool {
        try await pool.execute(
            "UPDATE wa_outbound SET tries = tries + 1, claimed_at = now() WHERE message_id = \(messageID) AND state = 'sending'") == 1
    }

    /// One more try of a claimed send: `claimed_at` is when the latest try began, so a send
    /// cut off late in its retries still waits its whole `KK_WA_IN_DOUBT_WAIT_SECONDS` for a status.
    static func retrying(_ messageID: String, pool: PostgresPool) async throws {
        try await pool.execute("UPDATE wa_outbound SET claimed_at = now() WHERE message_id = \(messageID) AND state = 'sending'")
    }

    /// WhatsApp took the message: its id, for the receipts to find.
    static func recordSent(_ messageID: String, whatsappMessageID: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE wa_outbound SET state = 'sent', wa_message_id = \(whatsappMessageID), sent_at = coalesce(sent_at, now())
            WHERE message_id = \(messageID)
            """)
    }

    /// A document that may have reached the applicant: never sent again blindly.
    static func recordInDoubt(_ messageID: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE wa_outbound SET state = 'in_doubt', last_error = 'gateway stopped while sending; WhatsApp may have the message'
            WHERE message_id = \(messageID) AND state = 'sending'
            """)
    }

    /// WhatsApp refused the message for good (it was not sent).
    static func recordFailed(_ messageID: String, reason: String, pool: PostgresPool) async throws {
        try await pool.execute(
            "UPDATE wa_outbound SET state = 'failed', last_error = \(reason) WHERE message_id = \(messageID) AND state = 'sending'")
    }

    /// A status webhook carrying our message id (the callback data) settles a send whose
    /// WhatsApp id was never recorded (the gateway stopped after WhatsApp took it).
    /// Returns the message's kind when the status is about one of ours.
    static func settle(byStatusFor whatsappMessageID: String, callbackData: String?, at: Date, in tx: PostgresTransaction) async throws
        -> WhatsAppOutbound.Kind?
    {
        if let callbackData {
            try await tx.execute(
                """
                UPDATE wa_outbound SET state = 'sent', wa_message_id = \(whatsappMessageID), sent_at = coalesce(sent_at, \(at))
                WHERE message_id = \(callbackData) AND state IN ('sending', 'in_doubt') AND wa_message_id IS NULL
                """)
        }
        let rows = try await tx.query("SELECT kind FROM wa_outbound WHERE wa_message_id = \(whatsappMessageID)").rows
        return try rows.first.flatMap { WhatsAppOutbound.Kind(rawValue: try $0.decode("kind", as: String.self)) }
    }
}
