-- Sign-in through the services' officer API (issue 16):
-- a session also ends after an idle time (last_used_at), and an officer who
-- keeps giving a wrong password is locked out for a while.
ALTER TABLE officer_sessions
    ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN service      text;

CREATE INDEX officer_sessions_username ON officer_sessions (username);

ALTER TABLE officers
    ADD COLUMN failed_sign_ins integer     NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    ADD COLUMN locked_until    timestamptz;
