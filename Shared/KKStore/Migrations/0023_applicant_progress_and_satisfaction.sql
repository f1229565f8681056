-- Issue 19, item 5: the applicant hears of every step behind the office's doors
-- (submitted for printing, verified, signed, closed). The step events arrive on
-- different topics, so intake keeps, per request, when the step it last told
-- of happened: an older step processed late is not told after a newer one.
ALTER TABLE intake_requests ADD COLUMN last_notice_at timestamptz;

-- The closing message asks for a 1-5 score of the service; the next message
-- answers it. One score per request (the first answer counts); the monthly
-- satisfaction report (SKM) reads them.
ALTER TABLE intake_conversations DROP CONSTRAINT intake_conversations_stage_check;
ALTER TABLE intake_conversations ADD CONSTRAINT intake_conversations_stage_check
    CHECK (stage IN ('idle', 'choosing', 'collecting', 'confirming_cancel', 'rating'));

CREATE TABLE satisfaction_scores (
    request_id  uuid        PRIMARY KEY REFERENCES requests (id),
    score       smallint    NOT NULL CHECK (score BETWEEN 1 AND 5),
    scored_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX satisfaction_scores_time ON satisfaction_scores (scored_at);

GRANT SELECT, INSERT ON satisfaction_scores TO kk_intake;
GRANT SELECT ON satisfaction_scores TO kk_admin;
