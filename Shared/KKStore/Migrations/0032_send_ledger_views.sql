-- The gateway owns its WhatsApp tables (issue 20); the other services read what
-- they need of them through two views instead of the tables themselves:
-- kk-deliver sees the KK documents sent and WhatsApp's furthest status for
-- each, without any message's text or the applicant's id; kk-intake sees an
-- applicant's conversation, both ways, for `kk-intake chat`.
CREATE VIEW document_sends AS
    SELECT w.message_id, w.request_id, w.wa_message_id, w.state, w.via_template, w.claimed_at, s.status, s.updated_at AS status_at
    FROM wa_outbound w LEFT JOIN wa_message_status s ON s.wa_message_id = w.wa_message_id
    WHERE w.kind = 'document';

CREATE VIEW applicant_conversation AS
    SELECT applicant_ref, received_at AS at, true AS from_applicant, kind, body, NULL::text AS author, NULL::text AS state
    FROM wa_inbound
    UNION ALL
    SELECT applicant_ref, coalesce(sent_at, claimed_at), false, kind, body, author, state
    FROM wa_outbound;

REVOKE SELECT ON wa_outbound, wa_message_status FROM kk_deliver;
GRANT SELECT ON document_sends TO kk_deliver;
REVOKE SELECT ON wa_inbound, wa_outbound FROM kk_intake;
GRANT SELECT ON applicant_conversation TO kk_intake;
