-- Public verification of a signed KK (issue 19 item 7): the QR code is a URL
-- to kk-archive's public page, which tells anyone holding the KK whether it is
-- valid, replaced by a newer KK of the same family, or revoked.
--
-- head_initials: what the public page may show of the head of family (the
-- public service never reads the register). Revocation is the Kepala Dinas'
-- (kk-sign revoke), with a reason; it is never undone.
ALTER TABLE kk_documents
    ADD COLUMN head_initials     text,
    ADD COLUMN revoked_at        timestamptz,
    ADD COLUMN revoked_by        text,
    ADD COLUMN revocation_reason text,
    ADD CONSTRAINT kk_documents_revocation_complete CHECK (
        (revoked_at IS NULL AND revoked_by IS NULL AND revocation_reason IS NULL)
        OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND length(revocation_reason) >= 10));
CREATE INDEX kk_documents_family_version ON kk_documents (kk_number, family_version);

-- Every public lookup that reached the database, kept append-only: what was
-- asked, what was answered, from where (lookups refused by the rate limit are
-- counted in the metrics, not written, so a flood cannot fill the table).
CREATE TABLE public_verifications (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    document_id  uuid,
    outcome      text        NOT NULL CHECK (outcome IN ('sah', 'diganti', 'dicabut', 'tidak_ditemukan')),
    client       text        NOT NULL
);
CREATE INDEX public_verifications_at ON public_verifications (at);

GRANT INSERT ON public_verifications TO kk_archive;
GRANT USAGE ON SEQUENCE public_verifications_id_seq TO kk_archive;
GRANT SELECT ON public_verifications TO kk_admin;
GRANT UPDATE (revoked_at, revoked_by, revocation_reason) ON kk_documents TO kk_sign;
