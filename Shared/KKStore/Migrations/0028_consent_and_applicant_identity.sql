-- Issue 19 items 3 and 4.
--
-- Consent (UU 27/2022): the first message an applicant sends gets the privacy
-- notice; until they agree nothing but their WhatsApp contact is stored (the
-- gateway keeps no message text and downloads no file). The version of the
-- notice they agreed to is kept with the time.
CREATE TABLE applicant_consents (
    applicant_ref   text        PRIMARY KEY,
    notice_version  integer     NOT NULL CHECK (notice_version >= 1),
    agreed_at       timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON applicant_consents TO kk_intake;
GRANT SELECT ON applicant_consents TO kk_gateway, kk_admin;

-- Who is asking: before a KK is issued the applicant gives their own NIK and,
-- when they have it, the KK number. `status`: 'verified' (the NIK is an
-- allowed member of that family in the register), 'mismatch' (the service
-- officer checks it at SOP 2), 'confirmed' (the officer did, with a note).
-- `kk_number` is the family the identity was verified for, or the one the
-- officer confirmed; the PDF is sent only when it is the signed KK's family.
CREATE TABLE applicant_identities (
    request_id        uuid        PRIMARY KEY REFERENCES requests (id),
    nik               text        NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    claimed_kk_number text        CHECK (claimed_kk_number ~ '^[0-9]{16}$'),
    status            text        NOT NULL CHECK (status IN ('verified', 'mismatch', 'confirmed')),
    mismatch          text        CHECK (mismatch IN ('nik_tidak_terdaftar', 'bukan_anggota_kk', 'belum_dewasa', 'bukan_kepala_keluarga')),
    kk_number         text        CHECK (kk_number ~ '^[0-9]{16}$'),
    checked_at        timestamptz NOT NULL DEFAULT now(),
    confirmed_by      text,
    confirmed_note    text,
    CHECK (status <> 'verified' OR kk_number IS NOT NULL),
    CHECK (status <> 'confirmed' OR (confirmed_by IS NOT NULL AND confirmed_note IS NOT NULL AND kk_number IS NOT NULL))
);
GRANT SELECT, INSERT, UPDATE ON applicant_identities TO kk_intake;
GRANT SELECT ON applicant_identities TO kk_entry, kk_verify, kk_sign, kk_deliver, kk_admin;
GRANT SELECT ON families, family_members, family_versions TO kk_intake;

ALTER TABLE intake_conversations DROP CONSTRAINT intake_conversations_stage_check;
ALTER TABLE intake_conversations ADD CONSTRAINT intake_conversations_stage_check
    CHECK (stage IN ('idle', 'choosing', 'choosing_event', 'identifying', 'collecting', 'confirming_cancel', 'rating'));
