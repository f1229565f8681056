-- Four eyes on content (issue 16, item 6): the SHA-256 of the draft's family
-- record when the Kasi/Kabid approved it. kk-sign signs only a draft whose
-- content still has this hash; a draft back in entry or rejected has none.
ALTER TABLE family_drafts
    ADD COLUMN approved_sha256 text CHECK (approved_sha256 ~ '^[0-9a-f]{64}$');
