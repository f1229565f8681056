-- Each service writes only its own instances in service_instances (row-level
-- security). Before, every service role could write every row: a compromised
-- service could report another's instances as caught up with a broker recovery
-- (so `kk-admin recover` replays while they still run on the old clients), or
-- remove them from what the recovery waits for. Every role may still read the
-- table; the owner, which runs the migrations, is not bound by the policies.
ALTER TABLE service_instances ENABLE ROW LEVEL SECURITY;

CREATE POLICY service_instances_read ON service_instances FOR SELECT USING (true);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['gateway', 'intake', 'entry', 'verify', 'sign', 'deliver', 'archive', 'admin'] LOOP
        EXECUTE format(
            'CREATE POLICY %I ON service_instances FOR ALL TO %I USING (service = %L) WITH CHECK (service = %L)',
            'service_instances_own_kk_' || name, 'kk_' || name, 'kk-' || name, 'kk-' || name);
    END LOOP;
END $$;
