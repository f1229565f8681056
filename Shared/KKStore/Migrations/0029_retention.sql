-- Issue 19 item 4: the retention schedule. Photos, files and signed PDFs of a
-- request archived or cancelled more than KK_RETENTION_DOCUMENT_DAYS ago leave
-- PostgreSQL: their bytes are dropped, the row keeps its digest and size and
-- points at the archive ('archive:' + sha256), where kk-archive keeps the
-- copies (kk-archive restore). The applicant's NIK goes with them. Message
-- texts older than KK_RETENTION_CONVERSATION_DAYS are blanked, and published
-- outbox rows of that age (the transport's copy of every message) are
-- deleted. Each run is written to the audit log, one entry per request purged.
ALTER TABLE media ADD COLUMN purged_at timestamptz;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX wa_inbound_received ON wa_inbound (received_at) WHERE body IS NOT NULL;

GRANT UPDATE (bytes, location, purged_at) ON media TO kk_admin;
GRANT DELETE ON applicant_identities TO kk_admin;
GRANT UPDATE (body) ON wa_inbound, wa_outbound TO kk_admin;
GRANT DELETE ON outbox TO kk_admin;
