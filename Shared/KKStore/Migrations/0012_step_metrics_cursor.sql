-- How far each service has turned the event log into its SOP-step latency
-- histograms (kk_sop_step_seconds). One row per service, shared by its
-- replicas: whichever replica locks the row reads the next events and moves
-- the cursor, so every event is observed once however many replicas run.
CREATE TABLE step_metric_cursors (
    service      text        PRIMARY KEY,
    observed_to  timestamptz NOT NULL
);
