//! Edits to existing records: optimistic versioning (an edit names the
//! version it read; a stale one is refused, so no update is lost) and an
//! audit line with the before and after of every changed field.

use serde_json::{Map, Value as Json};

/// Before and after of each field that differs, as a JSON object; fields in
/// `masked` show only that they changed.
pub fn changes(before: &Json, after: &Json, masked: &[&str]) -> Map<String, Json> {
    let mut out = Map::new();
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return out;
    };
    for (field, new) in after {
        let old = before.get(field).unwrap_or(&Json::Null);
        if old != new {
            let entry = if masked.contains(&field.as_str()) {
                serde_json::json!({"before": "***", "after": "***"})
            } else {
                serde_json::json!({"before": old, "after": new})
            };
            out.insert(field.clone(), entry);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_recorded_and_masked_ones_hidden() {
        let before = serde_json::json!({"name": "A", "email": "a@x", "kind": "funder"});
        let after = serde_json::json!({"name": "B", "email": "b@x", "kind": "funder"});
        let diff = changes(&before, &after, &["email"]);
        assert_eq!(diff.len(), 2);
        assert_eq!(
            diff["name"],
            serde_json::json!({"before": "A", "after": "B"})
        );
        assert_eq!(
            diff["email"],
            serde_json::json!({"before": "***", "after": "***"})
        );
    }
}

/// Creating and editing missions, roles, initiatives and commitments, and
/// creating organisations. Each write is one transaction with its audit line.
mod records {
    use placeweave_domain::{Commitment, Initiative, Mission, Organisation, OutcomeTheme, Role};
    use serde::Serialize;
    use serde_json::Value as Json;

    use super::changes;
    use crate::Store;
    use crate::error::{Result, StoreError};
    use crate::privacy::AuditLine;
    use crate::sql::{Count, Id, Sql, Value, sql};
    use crate::write::{NewCommitment, Tx};

    fn json<T: Serialize>(record: &T) -> Json {
        let mut value = serde_json::to_value(record).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove("version");
        }
        value
    }

    async fn audit_change<T: Serialize>(
        tx: &mut Tx,
        record_type: &str,
        record_id: String,
        before: Option<&T>,
        after: &T,
        actor: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let (action, detail) = match before {
            Some(before) => (
                "update",
                Json::Object(changes(&json(before), &json(after), &[])),
            ),
            None => ("create", json(after)),
        };
        tx.audit(
            &AuditLine {
                actor,
                action,
                record_type,
                record_id: Some(record_id),
                detail: Some(detail.to_string()),
            },
            now,
        )
        .await
    }

    /// The database id of the record with `slug` in `place`, or an error naming the field.
    async fn resolve(
        tx: &mut Tx,
        table: &str,
        field: &'static str,
        place: i64,
        slug: &str,
    ) -> Result<i64> {
        tx.exec()
            .optional::<Id>(sql!(
                format!("SELECT id FROM {table} WHERE place_id = $1 AND slug = $2"),
                place,
                slug
            ))
            .await?
            .map(|r| r.id)
            .ok_or_else(|| StoreError::UnknownReference {
                field,
                id: slug.to_owned(),
            })
    }

    /// Updates `table`'s row `id` if it is still at `version`; `set` uses
    /// placeholders from `$3`, bound from `args`.
    async fn versioned(
        tx: &mut Tx,
        table: &str,
        id: i64,
        version: i64,
        set: &str,
        args: Vec<Value>,
    ) -> Result<()> {
        let mut statement = Sql::new(format!(
            "UPDATE {table} SET {set}, version = version + 1 WHERE id = $1 AND version = $2"
        ));
        statement.args.push(Value::from(id));
        statement.args.push(Value::from(version));
        statement.args.extend(args);
        if tx.exec().execute(statement).await? == 0 {
            let current = tx
                .exec()
                .optional::<Count>(sql!(
                    format!("SELECT version AS n FROM {table} WHERE id = $1"),
                    id
                ))
                .await?
                .map_or(0, |c| c.n);
            return Err(StoreError::Stale { current });
        }
        Ok(())
    }

    async fn next_position(tx: &mut Tx, table: &str, place: i64) -> Result<i64> {
        Ok(tx
            .exec()
            .one::<Count>(sql!(
                format!(
                    "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) AS n FROM {table} WHERE place_id = $1"
                ),
                place
            ))
            .await?
            .n)
    }

    async fn theme_ids(tx: &mut Tx, place: i64, mission: &Mission) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for theme in &mission.outcome_themes {
            ids.push(resolve(tx, "outcome_theme", "outcome_themes", place, &theme.id).await?);
        }
        Ok(ids)
    }

    async fn initiative_links(
        tx: &mut Tx,
        place: i64,
        initiative: &Initiative,
    ) -> Result<(Vec<i64>, Vec<(i64, Option<String>)>)> {
        let mut missions = Vec::new();
        for mission in &initiative.missions {
            missions.push(resolve(tx, "mission", "missions", place, &mission.id).await?);
        }
        let mut participants = Vec::new();
        for participant in &initiative.participants {
            let id = resolve(
                tx,
                "organisation",
                "participants",
                place,
                &participant.organisation.id,
            )
            .await?;
            participants.push((id, participant.role.clone()));
        }
        Ok((missions, participants))
    }

    async fn commitment_links(
        tx: &mut Tx,
        place: i64,
        c: &Commitment,
    ) -> Result<(i64, Option<i64>, Option<i64>)> {
        let organisation = resolve(
            tx,
            "organisation",
            "organisation",
            place,
            &c.organisation.id,
        )
        .await?;
        let role = match &c.role {
            Some(r) => Some(resolve(tx, "role", "role", place, &r.id).await?),
            None => None,
        };
        let mission = match &c.mission {
            Some(m) => Some(resolve(tx, "mission", "mission", place, &m.id).await?),
            None => None,
        };
        Ok((organisation, role, mission))
    }

    impl Store {
        /// Replaces an organisation's fields with `after`'s, if it is still
        /// at `after.version`; otherwise `Stale`, and nothing is written.
        pub async fn update_organisation(
            &self,
            place: i64,
            before: &Organisation,
            after: &Organisation,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let id = resolve(&mut tx, "organisation", "organisation", place, &before.id).await?;
            // The version check and the write are one statement: two edits
            // from the same version cannot both succeed.
            versioned(
                &mut tx,
                "organisation",
                id,
                after.version,
                "name = $3, kind = $4, size_band = $5, scope = $6, is_anchor = $7, description = $8, \
                 website = $9, internal_notes = $10, audience = $11",
                vec![
                    Value::from(after.name.as_str()),
                    Value::from(after.kind.slug()),
                    Value::from(after.size_band.map(|s| s.slug())),
                    Value::from(after.scope.map(|s| s.slug())),
                    Value::from(after.is_anchor),
                    Value::from(after.description.clone()),
                    Value::from(after.website.clone()),
                    Value::from(after.internal_notes.clone()),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            for table in [
                "organisation_ward",
                "organisation_identifier",
                "organisation_lever",
            ] {
                tx.exec()
                    .execute(sql!(
                        format!("DELETE FROM {table} WHERE organisation_id = $1"),
                        id
                    ))
                    .await?;
            }
            tx.insert_organisation_details(&[(after, id)]).await?;
            audit_change(
                &mut tx,
                "organisation",
                before.id.clone(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn create_organisation(
            &self,
            place: i64,
            organisation: &Organisation,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            tx.insert_organisations(place, std::slice::from_ref(organisation))
                .await?;
            audit_change(
                &mut tx,
                "organisation",
                organisation.id.clone(),
                None,
                organisation,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn create_mission(
            &self,
            place: i64,
            mission: &Mission,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let themes = theme_ids(&mut tx, place, mission).await?;
            let position = next_position(&mut tx, "mission", place).await?;
            tx.insert_mission(place, mission, position, &themes)
                .await
                .map_err(|e| {
                    crate::write::duplicate(e, || format!("a mission with id \"{}\"", mission.id))
                })?;
            audit_change(
                &mut tx,
                "mission",
                mission.id.clone(),
                None,
                mission,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn update_mission(
            &self,
            place: i64,
            before: &Mission,
            after: &Mission,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let id = resolve(&mut tx, "mission", "mission", place, &before.id).await?;
            versioned(
                &mut tx,
                "mission",
                id,
                after.version,
                "short_name = $3, statement = $4, target_year = $5, audience = $6",
                vec![
                    Value::from(after.short_name.as_str()),
                    Value::from(after.statement.as_str()),
                    Value::from(after.target_year.map(i64::from)),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            let themes = theme_ids(&mut tx, place, after).await?;
            tx.exec()
                .execute(sql!("DELETE FROM mission_theme WHERE mission_id = $1", id))
                .await?;
            for theme in themes {
                tx.exec()
                    .execute(sql!(
                        "INSERT INTO mission_theme (mission_id, outcome_theme_id) VALUES ($1, $2)",
                        id,
                        theme
                    ))
                    .await?;
            }
            audit_change(
                &mut tx,
                "mission",
                before.id.clone(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn create_outcome_theme(
            &self,
            place: i64,
            theme: &OutcomeTheme,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let position = next_position(&mut tx, "outcome_theme", place).await?;
            tx.insert_outcome_theme(place, theme, position)
                .await
                .map_err(|e| {
                    crate::write::duplicate(e, || {
                        format!("an outcome theme with id \"{}\"", theme.id)
                    })
                })?;
            audit_change(
                &mut tx,
                "outcome_theme",
                theme.id.clone(),
                None,
                theme,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn update_outcome_theme(
            &self,
            place: i64,
            before: &OutcomeTheme,
            after: &OutcomeTheme,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let id = resolve(&mut tx, "outcome_theme", "theme", place, &before.id).await?;
            versioned(
                &mut tx,
                "outcome_theme",
                id,
                after.version,
                "name = $3, description = $4, is_core = $5, audience = $6",
                vec![
                    Value::from(after.name.as_str()),
                    Value::from(after.description.clone()),
                    Value::from(after.is_core),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            audit_change(
                &mut tx,
                "outcome_theme",
                before.id.clone(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn create_role(
            &self,
            place: i64,
            role: &Role,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let position = next_position(&mut tx, "role", place).await?;
            tx.insert_role(place, role, position).await.map_err(|e| {
                crate::write::duplicate(e, || format!("a role with id \"{}\"", role.id))
            })?;
            audit_change(&mut tx, "role", role.id.clone(), None, role, actor, now).await?;
            tx.commit().await
        }

        pub async fn update_role(
            &self,
            place: i64,
            before: &Role,
            after: &Role,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let id = resolve(&mut tx, "role", "role", place, &before.id).await?;
            versioned(
                &mut tx,
                "role",
                id,
                after.version,
                "name = $3, description = $4, ask_of_partner = $5, value_for_place = $6, \
                 value_for_partner = $7, contact = $8, audience = $9",
                vec![
                    Value::from(after.name.as_str()),
                    Value::from(after.description.as_str()),
                    Value::from(after.ask_of_partner.as_str()),
                    Value::from(after.value_for_place.as_str()),
                    Value::from(after.value_for_partner.as_str()),
                    Value::from(after.contact.clone()),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            audit_change(
                &mut tx,
                "role",
                before.id.clone(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn create_initiative(
            &self,
            place: i64,
            initiative: &Initiative,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let (missions, participants) = initiative_links(&mut tx, place, initiative).await?;
            tx.insert_initiative(place, initiative, &missions, &participants)
                .await
                .map_err(|e| {
                    crate::write::duplicate(e, || {
                        format!("an initiative with id \"{}\"", initiative.id)
                    })
                })?;
            audit_change(
                &mut tx,
                "initiative",
                initiative.id.clone(),
                None,
                initiative,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        pub async fn update_initiative(
            &self,
            place: i64,
            before: &Initiative,
            after: &Initiative,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let id = resolve(&mut tx, "initiative", "initiative", place, &before.id).await?;
            versioned(
                &mut tx,
                "initiative",
                id,
                after.version,
                "name = $3, description = $4, website = $5, audience = $6",
                vec![
                    Value::from(after.name.as_str()),
                    Value::from(after.description.clone()),
                    Value::from(after.website.clone()),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            let (missions, participants) = initiative_links(&mut tx, place, after).await?;
            tx.exec()
                .execute(sql!(
                    "DELETE FROM initiative_mission WHERE initiative_id = $1",
                    id
                ))
                .await?;
            tx.exec()
                .execute(sql!(
                    "DELETE FROM initiative_participant WHERE initiative_id = $1",
                    id
                ))
                .await?;
            for mission in missions {
                tx.exec()
                    .execute(sql!("INSERT INTO initiative_mission (initiative_id, mission_id) VALUES ($1, $2)", id, mission))
                    .await?;
            }
            for (organisation, role) in participants {
                tx.exec()
                    .execute(sql!(
                        "INSERT INTO initiative_participant (initiative_id, organisation_id, role) VALUES ($1, $2, $3)",
                        id,
                        organisation,
                        role
                    ))
                    .await?;
            }
            audit_change(
                &mut tx,
                "initiative",
                before.id.clone(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }

        /// Records a commitment; returns its id.
        pub async fn create_commitment(
            &self,
            place: i64,
            commitment: &Commitment,
            actor: Option<i64>,
            now: i64,
        ) -> Result<i64> {
            let mut tx = self.begin().await?;
            let (organisation_id, role_id, mission_id) =
                commitment_links(&mut tx, place, commitment).await?;
            let id = tx
                .insert_commitment(
                    place,
                    &NewCommitment {
                        organisation_id,
                        role_id,
                        mission_id,
                        status: commitment.status,
                        start_date: commitment.start_date.clone(),
                        end_date: commitment.end_date.clone(),
                        note: commitment.note.clone(),
                        demonstration: false,
                        audience: commitment.audience,
                    },
                )
                .await?;
            audit_change(
                &mut tx,
                "commitment",
                id.to_string(),
                None,
                commitment,
                actor,
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        }

        pub async fn update_commitment(
            &self,
            place: i64,
            before: &Commitment,
            after: &Commitment,
            actor: Option<i64>,
            now: i64,
        ) -> Result<()> {
            let mut tx = self.begin().await?;
            let (organisation_id, role_id, mission_id) =
                commitment_links(&mut tx, place, after).await?;
            versioned(
                &mut tx,
                "commitment",
                before.id,
                after.version,
                "organisation_id = $3, role_id = $4, mission_id = $5, status = $6, start_date = $7, \
                 end_date = $8, note = $9, audience = $10",
                vec![
                    Value::from(organisation_id),
                    Value::from(role_id),
                    Value::from(mission_id),
                    Value::from(after.status.slug()),
                    Value::from(after.start_date.clone()),
                    Value::from(after.end_date.clone()),
                    Value::from(after.note.clone()),
                    Value::from(after.audience.as_str()),
                ],
            )
            .await?;
            audit_change(
                &mut tx,
                "commitment",
                before.id.to_string(),
                Some(before),
                after,
                actor,
                now,
            )
            .await?;
            tx.commit().await
        }
    }
}
