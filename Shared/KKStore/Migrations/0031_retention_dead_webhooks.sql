-- The retention schedule covers the webhook bodies the gateway gave up
-- recording (`kk-admin deadletter webhooks`): they hold the applicant's number
-- and words as Meta sent them, so a dead body older than
-- KK_RETENTION_CONVERSATION_DAYS is deleted by the retention run, as the text
-- of a recorded message is blanked then.
GRANT DELETE ON wa_webhook_inbox TO kk_admin;
