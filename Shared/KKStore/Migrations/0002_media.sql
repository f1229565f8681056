-- Photos and documents the applicant sent, and signed PDFs. Bytes live here
-- (or in a store a location points at); events and Kafka messages carry only
-- the id and the SHA-256.
CREATE TABLE media (
    id             uuid        PRIMARY KEY,
    sha256         text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type   text        NOT NULL,
    size_bytes     bigint      NOT NULL CHECK (size_bytes >= 0),
    bytes          bytea,
    location       text,
    file_name      text,
    source         text        NOT NULL,
    wa_media_id    text UNIQUE,
    request_id     uuid,
    document_kind  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (bytes IS NOT NULL OR location IS NOT NULL),
    CHECK (bytes IS NULL OR octet_length(bytes) = size_bytes)
);
CREATE INDEX media_request ON media (request_id);
CREATE INDEX media_sha256 ON media (sha256);
