-- Issue 19 item 10: an office may run SOP 8 and 10 as the SOP writes them,
-- the print officer sending each PDF (`kk-deliver send`) and confirming each
-- archive (`kk-archive confirm`). Who did it is kept, so the confirmation that
-- follows (WhatsApp's receipt, a copy retried later) is recorded as that
-- officer's step, and the SLA report attributes it to them.
ALTER TABLE deliveries ADD COLUMN sent_by text;
ALTER TABLE archive_pending ADD COLUMN requested_by text;

-- The print officer's archive queue (officer_queue 'arsip') is kk-archive's.
GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_archive;
