-- Signed KKs (SOP 7): the PDF's bytes live in media (source 'kk-sign'); this
-- table says which request, family version and certificate each belongs to.
CREATE TABLE kk_documents (
    id                       uuid        PRIMARY KEY,
    request_id               uuid        NOT NULL,
    draft_id                 uuid        NOT NULL,
    kk_number                text        NOT NULL REFERENCES families (kk_number),
    family_version           integer     NOT NULL,
    media_id                 uuid        NOT NULL REFERENCES media (id),
    -- SHA-256 of the signed PDF, and of the signed family record (the QR code's reference).
    sha256                   text        NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_sha256           text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    certificate_fingerprint  text        NOT NULL,
    signed_by                text        NOT NULL,
    signed_at                timestamptz NOT NULL,
    FOREIGN KEY (kk_number, family_version) REFERENCES family_versions (kk_number, version)
);
CREATE INDEX kk_documents_request ON kk_documents (request_id);
