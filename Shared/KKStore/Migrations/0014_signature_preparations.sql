-- Signing on the Kepala Dinas' own machine (issue 16, item 8): kk-sign renders
-- the approved draft's unsigned PDF and keeps it here; her CLI signs it with her
-- key and uploads the result, which kk-sign accepts only when it is exactly
-- this PDF plus a valid signature of hers. One preparation per request: a new
-- one replaces the old (a new document id and signing time).
CREATE TABLE signature_preparations (
    request_id      uuid PRIMARY KEY REFERENCES requests (id),
    document_id     uuid        NOT NULL UNIQUE,
    draft_id        uuid        NOT NULL REFERENCES family_drafts (id) ON DELETE CASCADE,
    prepared_for    text        NOT NULL REFERENCES officers (username),
    signing_time    timestamptz NOT NULL,
    content_sha256  text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    unsigned_pdf    bytea       NOT NULL,
    prepared_at     timestamptz NOT NULL DEFAULT now()
);
