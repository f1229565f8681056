-- Issue 16, item 5: least-privilege database roles. The owner that runs the
-- migrations owns every table (so only it can alter or drop one, or a
-- trigger); each service connects as a role of its own with only the grants
-- its statements need (observed over the whole test suite, then the shared
-- messaging and officer tables every service uses). No role may change the
-- audit, the event log or a register version: they get SELECT and INSERT only.
-- A later migration that adds a table grants it the same way to the roles that use it
-- (an INSERT ... ON CONFLICT DO UPDATE needs UPDATE too).
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['kk_gateway', 'kk_intake', 'kk_entry', 'kk_verify', 'kk_sign', 'kk_deliver', 'kk_archive', 'kk_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            EXCEPTION WHEN duplicate_object THEN
                NULL;  -- another database's migration made it meanwhile (roles belong to the cluster)
            END;
        END IF;
    END LOOP;
END $$;

GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO kk_gateway, kk_intake, kk_entry, kk_verify, kk_sign, kk_deliver, kk_archive, kk_admin;
-- Every service checks at start-up that the schema is the one it was built for.
GRANT SELECT ON schema_migrations TO kk_gateway, kk_intake, kk_entry, kk_verify, kk_sign, kk_deliver, kk_archive, kk_admin;
-- The administrators' service reports on everything (request show, sla, dead letters,
-- audit verify; each read audited) and writes only what its grants below name.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kk_admin;

GRANT SELECT, INSERT ON dead_letters TO kk_gateway;
GRANT SELECT, INSERT ON inbox TO kk_gateway;
GRANT SELECT ON installation TO kk_gateway;
GRANT SELECT, INSERT ON media TO kk_gateway;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_gateway;
GRANT SELECT ON requests TO kk_gateway;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_gateway;
GRANT SELECT, INSERT, UPDATE ON wa_contacts TO kk_gateway;
GRANT SELECT, INSERT ON wa_inbound TO kk_gateway;
GRANT SELECT, INSERT, UPDATE ON wa_message_status TO kk_gateway;
GRANT SELECT, INSERT ON wa_outbound TO kk_gateway;

GRANT SELECT, INSERT ON audit_log TO kk_intake;
GRANT SELECT, INSERT ON dead_letters TO kk_intake;
GRANT SELECT, INSERT ON inbox TO kk_intake;
GRANT SELECT ON installation TO kk_intake;
GRANT SELECT, INSERT, UPDATE ON intake_conversations TO kk_intake;
GRANT SELECT, INSERT, UPDATE ON intake_requests TO kk_intake;
GRANT SELECT, UPDATE ON media TO kk_intake;
GRANT SELECT, UPDATE ON officer_notices TO kk_intake;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_intake;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_intake;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_intake;
GRANT SELECT, INSERT ON request_events TO kk_intake;
GRANT SELECT, INSERT, UPDATE ON requests TO kk_intake;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_intake;
GRANT SELECT ON wa_contacts TO kk_intake;

GRANT SELECT, INSERT ON audit_log TO kk_entry;
GRANT SELECT, INSERT ON dead_letters TO kk_entry;
GRANT SELECT ON families TO kk_entry;
GRANT SELECT, INSERT, UPDATE, DELETE ON family_drafts TO kk_entry;
GRANT SELECT ON family_members TO kk_entry;
GRANT SELECT ON family_versions TO kk_entry;
GRANT SELECT, INSERT ON inbox TO kk_entry;
GRANT SELECT ON installation TO kk_entry;
GRANT SELECT ON media TO kk_entry;
GRANT SELECT, UPDATE ON officer_notices TO kk_entry;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_entry;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_entry;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_entry;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_entry;
GRANT SELECT, INSERT ON request_events TO kk_entry;
GRANT SELECT, UPDATE ON requests TO kk_entry;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_entry;

GRANT SELECT, INSERT ON audit_log TO kk_verify;
GRANT SELECT, INSERT ON dead_letters TO kk_verify;
GRANT SELECT ON families TO kk_verify;
GRANT SELECT, UPDATE ON family_drafts TO kk_verify;
GRANT SELECT ON family_versions TO kk_verify;
GRANT SELECT, INSERT ON inbox TO kk_verify;
GRANT SELECT ON installation TO kk_verify;
GRANT SELECT ON media TO kk_verify;
GRANT SELECT, INSERT, UPDATE ON officer_notices TO kk_verify;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_verify;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_verify;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_verify;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_verify;
GRANT SELECT, INSERT ON request_events TO kk_verify;
GRANT SELECT, UPDATE ON requests TO kk_verify;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_verify;

GRANT SELECT, INSERT ON audit_log TO kk_sign;
GRANT SELECT, INSERT ON dead_letters TO kk_sign;
GRANT SELECT, INSERT, UPDATE ON families TO kk_sign;
GRANT SELECT, UPDATE ON family_drafts TO kk_sign;
GRANT SELECT, INSERT, DELETE ON family_members TO kk_sign;
GRANT SELECT, INSERT ON family_versions TO kk_sign;
GRANT SELECT, INSERT ON inbox TO kk_sign;
GRANT SELECT ON installation TO kk_sign;
GRANT SELECT, INSERT ON kk_documents TO kk_sign;
GRANT SELECT, INSERT ON media TO kk_sign;
GRANT SELECT, UPDATE ON officer_notices TO kk_sign;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_sign;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_sign;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_sign;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_sign;
GRANT SELECT, INSERT ON request_events TO kk_sign;
GRANT SELECT, UPDATE ON requests TO kk_sign;
GRANT SELECT, INSERT, UPDATE, DELETE ON signature_preparations TO kk_sign;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_sign;

GRANT SELECT, INSERT ON audit_log TO kk_deliver;
GRANT SELECT, INSERT ON dead_letters TO kk_deliver;
GRANT SELECT, INSERT, UPDATE ON deliveries TO kk_deliver;
GRANT SELECT ON family_versions TO kk_deliver;
GRANT SELECT, INSERT ON inbox TO kk_deliver;
GRANT SELECT ON installation TO kk_deliver;
GRANT SELECT ON kk_documents TO kk_deliver;
GRANT SELECT ON media TO kk_deliver;
GRANT SELECT, UPDATE ON officer_notices TO kk_deliver;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_deliver;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_deliver;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_deliver;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_deliver;
GRANT SELECT, INSERT ON request_events TO kk_deliver;
GRANT SELECT, UPDATE ON requests TO kk_deliver;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_deliver;
GRANT SELECT ON wa_outbound TO kk_deliver;
GRANT SELECT ON wa_message_status TO kk_deliver;

GRANT SELECT, INSERT, UPDATE ON archive_copies TO kk_archive;
GRANT SELECT, INSERT, UPDATE ON archive_items TO kk_archive;
GRANT SELECT, INSERT, UPDATE, DELETE ON archive_pending TO kk_archive;
GRANT SELECT, INSERT ON audit_log TO kk_archive;
GRANT SELECT, INSERT ON dead_letters TO kk_archive;
GRANT SELECT, INSERT ON inbox TO kk_archive;
GRANT SELECT ON installation TO kk_archive;
GRANT SELECT ON kk_documents TO kk_archive;
GRANT SELECT ON media TO kk_archive;
GRANT SELECT, UPDATE ON officer_notices TO kk_archive;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_archive;
GRANT SELECT, UPDATE (failed_sign_ins, locked_until, password_hash) ON officers TO kk_archive;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_archive;
GRANT SELECT, INSERT ON request_events TO kk_archive;
GRANT SELECT, UPDATE ON requests TO kk_archive;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_archive;

GRANT SELECT, INSERT ON audit_log TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON dead_letters TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON families TO kk_admin;
GRANT SELECT, INSERT, DELETE ON family_members TO kk_admin;
GRANT SELECT, INSERT ON family_versions TO kk_admin;
GRANT SELECT, INSERT, DELETE ON inbox TO kk_admin;
GRANT SELECT ON installation TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON officer_changes TO kk_admin;
GRANT SELECT, UPDATE ON officer_notices TO kk_admin;
GRANT SELECT, UPDATE ON officer_queue TO kk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_sessions TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON officers TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON outbox TO kk_admin;
GRANT SELECT ON requests TO kk_admin;
GRANT SELECT, INSERT, UPDATE ON step_metric_cursors TO kk_admin;

