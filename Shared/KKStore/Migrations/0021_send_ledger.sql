-- The gateway's send ledger. A message to an applicant is claimed ('sending')
-- in one transaction, handed to the Graph API with no transaction open, and
-- recorded ('sent', with WhatsApp's id) in a second one. A row a crash left
-- 'sending' is in doubt: Meta may have taken the message. Every send carries
-- our message id as biz_opaque_callback_data, which WhatsApp echoes in its
-- status webhooks, so a status settles a row whose WhatsApp id was never
-- recorded. A document in doubt is never sent again blindly: the print officer
-- decides ('in_doubt'); 'failed' is a message WhatsApp refused for good.
ALTER TABLE wa_outbound
    ADD COLUMN state text NOT NULL DEFAULT 'sent' CHECK (state IN ('sending', 'sent', 'in_doubt', 'failed')),
    ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN tries integer NOT NULL DEFAULT 1 CHECK (tries >= 1),
    ADD COLUMN last_error text;
ALTER TABLE wa_outbound ALTER COLUMN state DROP DEFAULT;
ALTER TABLE wa_outbound ALTER COLUMN sent_at DROP NOT NULL, ALTER COLUMN sent_at DROP DEFAULT;
CREATE INDEX wa_outbound_unsettled ON wa_outbound (claimed_at) WHERE state IN ('sending', 'in_doubt');

-- Which of our messages a status is about (the callback data it came with).
ALTER TABLE wa_message_status ADD COLUMN message_id text;

-- A KK the gateway may or may not have handed to WhatsApp waits for the print officer.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check,
    ADD CONSTRAINT deliveries_state_check CHECK (state IN ('sending', 'retrying', 'needs_officer', 'in_doubt', 'delivered'));

GRANT UPDATE ON wa_outbound TO kk_gateway;
