-- The gateway's webhook inbox (issue 18): a body whose signature checks is
-- stored as it came and answered 200 at once; its messages and statuses are
-- recorded afterwards, each on its own, media downloaded outside the request.
-- A body that cannot be recorded yet waits next_attempt_at (backing off);
-- after the last attempt it is dead (dead_at, last_error) until an operator
-- retries it (kk-admin deadletter retry-webhooks). A recorded body is deleted: before the
-- applicant agrees to the privacy notice, nothing of their words may stay.
-- sender_ref is the applicant the body's messages come from, so one
-- applicant's bodies are recorded in the order they came.
CREATE TABLE wa_webhook_inbox (
    id bigserial PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    sender_ref text,
    body bytea NOT NULL,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    last_error text,
    dead_at timestamptz
);
CREATE INDEX wa_webhook_inbox_due ON wa_webhook_inbox (next_attempt_at, id) WHERE dead_at IS NULL;
CREATE INDEX wa_webhook_inbox_sender ON wa_webhook_inbox (sender_ref, id) WHERE dead_at IS NULL AND sender_ref IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON wa_webhook_inbox TO kk_gateway;
GRANT SELECT, UPDATE ON wa_webhook_inbox TO kk_admin;
GRANT USAGE ON SEQUENCE wa_webhook_inbox_id_seq TO kk_gateway;
