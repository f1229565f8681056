-- What each WhatsApp message said, so the service officer can read the
-- applicant's conversation (`kk-intake chat`, SOP 2: the officer opens the
-- request "in WA") and write to the applicant (`kk-intake reply`): the text or
-- caption of what the applicant sent, of what the office sent, and which
-- officer wrote a message when one did.
ALTER TABLE wa_inbound ADD COLUMN body text;
ALTER TABLE wa_outbound ADD COLUMN body text, ADD COLUMN author text;
CREATE INDEX wa_outbound_applicant_time ON wa_outbound (applicant_ref, claimed_at);

GRANT SELECT ON wa_inbound, wa_outbound TO kk_intake;
