-- Coordination: the team a staff account belongs to (optional), so that a
-- staff member logging an interaction is told when another team met the
-- same partner recently.
ALTER TABLE account ADD COLUMN team TEXT;
CREATE INDEX interaction_by_place_date ON interaction (place_id, occurred_on);
