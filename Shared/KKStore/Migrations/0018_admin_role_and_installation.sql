-- Issue 16, item 3: the system administrator signs in like any officer, with a
-- role of its own; giving or taking the Kepala Dinas' or an administrator's
-- role (and setting their password) waits for a second administrator; the
-- installation says whether it is production, where development helpers
-- refuse to run.
ALTER TABLE officers DROP CONSTRAINT officers_role_check;
ALTER TABLE officers ADD CONSTRAINT officers_role_check
    CHECK (role IN ('petugas_layanan', 'kasi_kabid', 'kepala_dinas', 'petugas_cetak', 'admin'));

CREATE TABLE officer_changes (
    id            bigserial   PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('add', 'set_role', 'reset_password')),
    username      text        NOT NULL,
    full_name     text,
    nip           text,
    role          text,
    password_hash text,
    requested_by  text        NOT NULL REFERENCES officers (username),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_at    timestamptz,
    decision      text        CHECK (decision IN ('approved', 'rejected')),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK (decided_by IS DISTINCT FROM requested_by)
);
CREATE INDEX officer_changes_pending ON officer_changes (id) WHERE decision IS NULL;

CREATE TABLE installation (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    environment text        NOT NULL CHECK (environment IN ('development', 'production')),
    marked_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation (environment) VALUES ('development');

-- Production is for good: nothing turns it back into a development database.
CREATE FUNCTION installation_stays_production() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'installation: the row is kept for good';
    END IF;
    IF OLD.environment = 'production' AND NEW.environment <> 'production' THEN
        RAISE EXCEPTION 'installation: a production database stays production';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER installation_stays_production BEFORE UPDATE OR DELETE ON installation
    FOR EACH ROW EXECUTE FUNCTION installation_stays_production();
CREATE TRIGGER installation_not_truncated BEFORE TRUNCATE ON installation
    FOR EACH STATEMENT EXECUTE FUNCTION installation_stays_production();
