-- An interaction's further participants: the partner's (and others')
-- contacts who took part, and other organisations at a roundtable or
-- event. Erasing or expiring a contact removes it from every interaction;
-- the rows hold no personal data of their own.
CREATE TABLE interaction_contact (
    interaction_id BIGINT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, contact_id)
);
CREATE INDEX interaction_contact_by_contact ON interaction_contact (contact_id);

CREATE TABLE interaction_organisation (
    interaction_id BIGINT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, organisation_id)
);
CREATE INDEX interaction_organisation_by_organisation
    ON interaction_organisation (organisation_id, interaction_id);
