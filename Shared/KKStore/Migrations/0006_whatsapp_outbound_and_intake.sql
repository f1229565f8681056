-- Messages the gateway sent (so a redelivered wa.outbound is not sent twice,
-- and receipts can be traced back to the request).
CREATE TABLE wa_outbound (
    message_id     text        PRIMARY KEY,
    wa_message_id  text        UNIQUE,
    applicant_ref  text        NOT NULL,
    request_id     uuid,
    kind           text        NOT NULL,
    via_template   boolean     NOT NULL,
    sent_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wa_outbound_request ON wa_outbound (request_id);

-- Where each applicant's WhatsApp conversation with intake stands.
CREATE TABLE intake_conversations (
    applicant_ref  text        PRIMARY KEY,
    stage          text        NOT NULL CHECK (stage IN ('idle', 'choosing', 'collecting')),
    request_id     uuid,
    -- Documents still expected, comma-separated DocumentKind values.
    pending        text        NOT NULL DEFAULT '',
    updated_at     timestamptz NOT NULL DEFAULT now()
);
