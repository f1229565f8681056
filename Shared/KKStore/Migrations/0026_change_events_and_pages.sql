-- Issue 19 item 1: a data change names its event (kelahiran, kematian, ...),
-- which decides the supporting documents asked for; officers see it. The
-- event is in the request's first event (kk.request.created) and in the read
-- model, so a rebuild reproduces it. Requests from before have none.
ALTER TABLE requests ADD COLUMN change_event text;

-- A document may run to several pages (a buku nikah, an SKPWNI): each photo
-- is one page of the document it was received for, numbered from 1 in each
-- round of sending (the first collection, or a return that asked again).
ALTER TABLE media ADD COLUMN page integer CHECK (page >= 1);
-- The pages received so far for the document intake is collecting now
-- (the first of `pending`); 0 until its first page arrives.
ALTER TABLE intake_requests ADD COLUMN current_pages integer NOT NULL DEFAULT 0;

-- The applicant is asked for the event before the request is created.
ALTER TABLE intake_conversations DROP CONSTRAINT intake_conversations_stage_check;
ALTER TABLE intake_conversations ADD CONSTRAINT intake_conversations_stage_check
    CHECK (stage IN ('idle', 'choosing', 'choosing_event', 'collecting', 'confirming_cancel', 'rating'));
