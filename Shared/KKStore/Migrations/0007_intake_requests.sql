-- Documents intake still expects for each request (first collection, or
-- what a "Belum Lengkap" / "Belum Valid" return asked for again).
CREATE TABLE intake_requests (
    request_id     uuid        PRIMARY KEY,
    applicant_ref  text        NOT NULL,
    -- Comma-separated DocumentKind values, in the order they are asked for.
    pending        text        NOT NULL DEFAULT '',
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_requests_applicant ON intake_requests (applicant_ref);

-- The conversation may also wait for a "YA" before cancelling a request.
ALTER TABLE intake_conversations DROP CONSTRAINT intake_conversations_stage_check;
ALTER TABLE intake_conversations ADD CONSTRAINT intake_conversations_stage_check
    CHECK (stage IN ('idle', 'choosing', 'collecting', 'confirming_cancel'));
ALTER TABLE intake_conversations DROP COLUMN pending;
