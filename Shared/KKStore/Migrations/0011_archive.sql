-- SOP 10: the layered backups. Every archived file is content-addressed by
-- its SHA-256; archive_copies records each verified copy on each target.
CREATE TABLE archive_items (
    request_id  uuid        NOT NULL,
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    -- The file name it is restored under, e.g. "kk/KK-3402....pdf" or "dokumen/01-surat_pernyataan.jpg".
    name        text        NOT NULL,
    size_bytes  bigint      NOT NULL,
    PRIMARY KEY (request_id, name)
);
CREATE INDEX archive_items_sha256 ON archive_items (sha256);

CREATE TABLE archive_copies (
    sha256       text        NOT NULL,
    target       text        NOT NULL,
    verified_at  timestamptz NOT NULL,
    PRIMARY KEY (sha256, target)
);

-- Requests delivered but not yet archived with enough good copies (a target was down).
CREATE TABLE archive_pending (
    request_id  uuid        PRIMARY KEY,
    document_id uuid        NOT NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    check_at    timestamptz NOT NULL,
    last_error  text
);
