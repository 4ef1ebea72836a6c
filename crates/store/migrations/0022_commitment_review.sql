-- Review before publishing: a commitment a partner proposes waits for the
-- partnership team, held at the staff audience, and is published (or
-- declined with a note back to the partner) by them. Commitments made
-- before this are accepted as they stand.
ALTER TABLE commitment ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted'
    CHECK (review IN ('accepted', 'awaiting', 'declined'));
ALTER TABLE commitment ADD COLUMN review_note TEXT;
CREATE INDEX commitment_awaiting_review ON commitment (place_id, review);
