-- The family register, in SIAK's place. Every change is a new version of the
-- family (family_versions, append-only); families points at the current one.
-- A draft (family_drafts) is what data entry prepares for one request; it
-- becomes a version only when its KK is signed.
CREATE TABLE families (
    kk_number        text        PRIMARY KEY CHECK (kk_number ~ '^[0-9]{16}$'),
    current_version  integer     NOT NULL CHECK (current_version >= 1),
    kecamatan        text        NOT NULL,
    head_name        text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX families_kecamatan ON families (kecamatan);

CREATE TABLE family_versions (
    kk_number   text        NOT NULL REFERENCES families (kk_number) DEFERRABLE INITIALLY DEFERRED,
    version     integer     NOT NULL CHECK (version >= 1),
    record      jsonb       NOT NULL,
    -- 'sample' (generated for development), 'import' (migrated from SIAK), 'signed' (a signed KK).
    source      text        NOT NULL CHECK (source IN ('sample', 'import', 'signed')),
    request_id  uuid,
    draft_id    uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kk_number, version)
);

CREATE FUNCTION family_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'family_versions is append-only: the version on a signed KK stays readable forever (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER family_versions_no_update BEFORE UPDATE OR DELETE ON family_versions
    FOR EACH ROW EXECUTE FUNCTION family_versions_append_only();
CREATE TRIGGER family_versions_no_truncate BEFORE TRUNCATE ON family_versions
    FOR EACH STATEMENT EXECUTE FUNCTION family_versions_append_only();

-- Who is in which family now: one NIK in one KK.
CREATE TABLE family_members (
    nik        text PRIMARY KEY CHECK (nik ~ '^[0-9]{16}$'),
    kk_number  text NOT NULL REFERENCES families (kk_number)
);
CREATE INDEX family_members_kk ON family_members (kk_number);

CREATE TABLE family_drafts (
    id            uuid        PRIMARY KEY,
    request_id    uuid        NOT NULL UNIQUE,
    kk_number     text        NOT NULL REFERENCES families (kk_number),
    base_version  integer     NOT NULL,
    changes       jsonb       NOT NULL DEFAULT '[]',
    record        jsonb       NOT NULL,
    status        text        NOT NULL CHECK (status IN ('editing', 'submitted', 'verified', 'rejected', 'signed')),
    prepared_by   text,
    verified_by   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX family_drafts_kk ON family_drafts (kk_number);

-- The officers' work queues (entry, verification, signing, delivery): a
-- request enters when its service consumes the event, is taken by one
-- officer, and leaves when that officer moves it on.
CREATE TABLE officer_queue (
    queue       text        NOT NULL,
    request_id  uuid        NOT NULL,
    entered_at  timestamptz NOT NULL,
    taken_by    text,
    taken_at    timestamptz,
    PRIMARY KEY (queue, request_id)
);
CREATE INDEX officer_queue_order ON officer_queue (queue, entered_at);
