-- Messages for an officer that their CLI shows on their next command (issue 16,
-- item 7): a Kasi/Kabid released or reassigned a request they had taken.
CREATE TABLE officer_notices (
    id           bigserial   PRIMARY KEY,
    username     text        NOT NULL REFERENCES officers (username),
    message      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
);
CREATE INDEX officer_notices_pending ON officer_notices (username) WHERE delivered_at IS NULL;
