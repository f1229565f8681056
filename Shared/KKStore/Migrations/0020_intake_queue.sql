-- Issue 16, item 7: complete requests wait in an officer queue of their own
-- ('penerimaan', SOP 2), so `kk-intake take`, `open` and `return` respect who
-- has taken one, and a Kasi/Kabid can release or reassign it like the others.
-- The requests waiting now enter it untaken, in the order they arrived.
INSERT INTO officer_queue (queue, request_id, entered_at)
SELECT 'penerimaan', id, state_entered_at FROM requests WHERE state = 'diajukan'
ON CONFLICT DO NOTHING;

-- A cancelled request left in any queue before is taken out (kk-intake now does it on cancel).
DELETE FROM officer_queue q USING requests r WHERE r.id = q.request_id AND r.state = 'dibatalkan';

GRANT SELECT, INSERT, UPDATE, DELETE ON officer_queue TO kk_intake;
