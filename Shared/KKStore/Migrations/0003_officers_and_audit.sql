-- Officers sign in to the CLIs; the role decides what they may do.
CREATE TABLE officers (
    username       text        PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    full_name      text        NOT NULL,
    nip            text        NOT NULL UNIQUE CHECK (nip ~ '^[0-9]{18}$'),
    role           text        NOT NULL CHECK (role IN ('petugas_layanan', 'kasi_kabid', 'kepala_dinas', 'petugas_cetak')),
    active         boolean     NOT NULL DEFAULT true,
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE officer_sessions (
    token_sha256  text        PRIMARY KEY,
    username      text        NOT NULL REFERENCES officers (username),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);

-- Every officer command, allowed or refused.
CREATE TABLE audit_log (
    id           bigserial   PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    username     text        NOT NULL,
    role         text,
    service      text        NOT NULL,
    command      text        NOT NULL,
    request_id   uuid,
    outcome      text        NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    detail       text
);
CREATE INDEX audit_log_request ON audit_log (request_id);
