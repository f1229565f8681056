-- The record of every KK request (permohonan).
-- request_events is the truth: an append-only log, one row per event, with a
-- version per request that is unique, so two writers (two officers, two
-- replicas) can never both move the same request. requests is the read model,
-- rebuilt from the log by `kk-admin rebuild-read-model`.

CREATE TABLE request_events (
    request_id      uuid        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    action          text,
    from_state      text,
    to_state        text        NOT NULL,
    actor_role      text        NOT NULL,
    actor_id        text        NOT NULL,
    note            text,
    payload         jsonb       NOT NULL,
    occurred_at     timestamptz NOT NULL,
    PRIMARY KEY (request_id, version)
);
CREATE INDEX request_events_occurred_at ON request_events (occurred_at);

-- Append-only: an event, once written, is never changed or removed.
CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'request_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER request_events_no_update BEFORE UPDATE OR DELETE ON request_events
    FOR EACH ROW EXECUTE FUNCTION request_events_append_only();
CREATE TRIGGER request_events_no_truncate BEFORE TRUNCATE ON request_events
    FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only();

CREATE SEQUENCE request_number_seq;

CREATE TABLE requests (
    id                uuid        PRIMARY KEY,
    number            text        NOT NULL UNIQUE,
    reason            text        NOT NULL CHECK (reason IN ('perubahan_data', 'hilang', 'rusak')),
    state             text        NOT NULL,
    version           integer     NOT NULL,
    applicant_ref     text        NOT NULL,
    applicant_phone   text        NOT NULL,
    kk_number         text,
    prepared_by       text,
    last_note         text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    state_entered_at  timestamptz NOT NULL
);
CREATE INDEX requests_state ON requests (state, state_entered_at);
CREATE INDEX requests_applicant ON requests (applicant_ref);
