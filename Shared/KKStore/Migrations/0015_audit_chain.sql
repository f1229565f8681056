-- An audit nobody can rewrite (issue 16, item 4).
-- Each audit row carries its position in the chain (seq, no gaps), the hash of
-- the row before it and its own hash over both and every field. The database
-- computes them on insert, whoever inserts, one row at a time (a transaction-
-- scoped advisory lock); `kk-admin audit verify` recomputes the chain and names
-- the first row that was altered, removed or inserted out of turn. UPDATE,
-- DELETE and TRUNCATE are refused, as for the request event log.

ALTER TABLE audit_log
    ADD COLUMN seq       bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

-- The digest of one row: the previous hash, then each field quoted so that no
-- two different rows read the same (the timestamp as epoch seconds, which does
-- not depend on the session's time zone).
CREATE FUNCTION audit_row_digest(prev bytea, r audit_log) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(convert_to(concat_ws('|',
        encode(coalesce(prev, '\x'::bytea), 'hex'), r.seq::text, r.id::text,
        extract(epoch FROM r.occurred_at)::text, quote_nullable(r.username), quote_nullable(r.role),
        quote_nullable(r.service), quote_nullable(r.command), quote_nullable(r.request_id::text),
        quote_nullable(r.outcome), quote_nullable(r.detail)), 'UTF8'))
$$;

-- The rows written so far, chained in the order they were written.
DO $$
DECLARE
    r audit_log;
    previous bytea := NULL;
    position bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        position := position + 1;
        r.seq := position;
        r.prev_hash := previous;
        previous := audit_row_digest(previous, r);
        UPDATE audit_log SET seq = position, prev_hash = r.prev_hash, hash = previous WHERE id = r.id;
    END LOOP;
END $$;

ALTER TABLE audit_log
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT audit_log_seq_unique UNIQUE (seq);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last audit_log;
BEGIN
    -- One writer at a time, until its transaction ends: the chain has one order.
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    SELECT * INTO last FROM audit_log ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last.seq, 0) + 1;
    NEW.prev_hash := last.hash;
    NEW.hash := audit_row_digest(NEW.prev_hash, NEW);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
