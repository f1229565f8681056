-- Exactly-once in effect: a consumer records every processed message id in
-- its inbox in the same transaction as the work, and everything it publishes
-- goes into the outbox in that transaction too. A relay publishes the outbox
-- and marks rows sent only after the broker acknowledged them.
CREATE TABLE inbox (
    consumer      text        NOT NULL,
    message_id    text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE TABLE outbox (
    id                bigserial   PRIMARY KEY,
    source            text        NOT NULL,
    topic             text        NOT NULL,
    message_key       text        NOT NULL,
    payload           bytea       NOT NULL,
    headers           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    sent_partition    integer,
    sent_offset       bigint
);
CREATE INDEX outbox_unsent ON outbox (source, id) WHERE sent_at IS NULL;

-- Messages a consumer could not process (undecodable, or refused by the state
-- machine), with the reason and the original bytes; also published to kk.deadletter.
CREATE TABLE dead_letters (
    id           bigserial   PRIMARY KEY,
    consumer     text        NOT NULL,
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    "offset"     bigint      NOT NULL,
    message_key  bytea,
    payload      bytea       NOT NULL,
    reason       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retried_at   timestamptz,
    UNIQUE (consumer, topic, partition, "offset")
);
