-- The WhatsApp side: who the applicants are (phone numbers stay here, Kafka
-- carries a pseudonymous reference), which webhook messages were already taken
-- (Meta delivers some twice), and the furthest status of every sent message.
CREATE TABLE wa_contacts (
    applicant_ref     text        PRIMARY KEY,
    phone             text        NOT NULL UNIQUE,
    profile_name      text,
    last_inbound_at   timestamptz
);

CREATE TABLE wa_inbound (
    wa_message_id  text        PRIMARY KEY,
    applicant_ref  text        NOT NULL,
    kind           text        NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wa_message_status (
    wa_message_id  text        PRIMARY KEY,
    applicant_ref  text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    rank           integer     NOT NULL,
    updated_at     timestamptz NOT NULL
);
