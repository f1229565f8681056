-- SOP 8-9: sending each signed KK to its applicant over WhatsApp. One row per
-- request; every attempt sends the PDF and the notice again (new message ids).
CREATE TABLE deliveries (
    request_id         uuid        PRIMARY KEY,
    document_id        uuid        NOT NULL REFERENCES kk_documents (id),
    attempt            integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    -- The wa.outbound envelope id of the PDF in the current attempt (wa_outbound.message_id once sent).
    document_message   uuid        NOT NULL,
    state              text        NOT NULL CHECK (state IN ('sending', 'retrying', 'needs_officer', 'delivered')),
    -- When to look again: no confirmation by then means a retry (or the print officer).
    check_at           timestamptz NOT NULL,
    last_error         text,
    delivered_at       timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_due ON deliveries (state, check_at);
