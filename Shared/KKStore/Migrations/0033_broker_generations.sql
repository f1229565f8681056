-- Issue 18, item 6: after the broker lost its data, the services replace their
-- Kafka clients in place instead of being stopped and started by hand.
-- `kk-admin recover` records a new broker generation once the topics are made
-- again; every running service instance notices it, replaces its clients, and
-- reports the generation it now runs on in `service_instances`, which it also
-- refreshes as a heartbeat. The recovery waits for every live instance before
-- it re-publishes the in-flight requests' messages.
CREATE TABLE broker_generations (
    generation bigint PRIMARY KEY CHECK (generation > 0),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by text NOT NULL
);

CREATE TABLE service_instances (
    instance_id uuid PRIMARY KEY,
    service text NOT NULL,
    host text NOT NULL,
    pid integer NOT NULL,
    started_at timestamptz NOT NULL,
    seen_at timestamptz NOT NULL,
    broker_generation bigint NOT NULL
);
CREATE INDEX service_instances_seen_at ON service_instances (seen_at);

GRANT SELECT ON broker_generations TO kk_gateway, kk_intake, kk_entry, kk_verify, kk_sign, kk_deliver, kk_archive, kk_admin;
GRANT INSERT ON broker_generations TO kk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON service_instances TO kk_gateway, kk_intake, kk_entry, kk_verify, kk_sign, kk_deliver, kk_archive, kk_admin;
