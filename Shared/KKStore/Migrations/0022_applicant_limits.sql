-- What one WhatsApp number may send (issue 18): messages per minute and bytes
-- stored per day are counted per applicant; media never attached to a request
-- is purged after a day. The gateway records whose each downloaded file is.
ALTER TABLE media ADD COLUMN applicant_ref text;
CREATE INDEX media_applicant_day ON media (applicant_ref, created_at) WHERE applicant_ref IS NOT NULL;
CREATE INDEX media_unattached ON media (created_at) WHERE request_id IS NULL AND source = 'whatsapp';
CREATE INDEX wa_inbound_applicant_time ON wa_inbound (applicant_ref, received_at);

GRANT DELETE ON media TO kk_gateway;
