-- The partnership report at 10,000 organisations. "Gone quiet" finds each
-- partner's latest interaction it may see: with the place and audience in
-- the organisation's index it is read from the index alone, not from
-- 100,000 interaction rows. Late follow-ups start from the open ones due
-- before today instead of every interaction of the place.
CREATE INDEX interaction_latest_by_organisation ON interaction (organisation_id, occurred_on, place_id, audience);
CREATE INDEX follow_up_open_by_due ON follow_up (done, due_on);
