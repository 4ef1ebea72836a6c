//! Edits to existing records: optimistic versioning (an edit names the
//! version it read; a stale one is refused, so no update is lost) and an
//! audit line with the before and after of every changed field.

use placeweave_domain::Organisation;
use serde_json::{Map, Value as Json};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::privacy::AuditLine;
use crate::sql::{Id, Value, sql};

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

impl Store {
    /// Replaces an organisation's fields with `updated`'s, if it is still at
    /// `updated.version`. Returns the new version.
    pub async fn update_organisation(
        &self,
        place: i64,
        before: &Organisation,
        updated: &Organisation,
        actor: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .exec()
            .optional::<Id>(sql!(
                "SELECT id FROM organisation WHERE place_id = $1 AND slug = $2",
                place,
                before.id.as_str()
            ))
            .await?
            .ok_or_else(|| StoreError::Missing(format!("organisation \"{}\"", before.id)))?
            .id;
        // The version check and the write are one statement: two edits from
        // the same version cannot both succeed.
        let changed = tx
            .exec()
            .execute(sql!(
                "UPDATE organisation SET name = $3, kind = $4, size_band = $5, scope = $6, \
                 is_anchor = $7, description = $8, website = $9, internal_notes = $10, \
                 audience = $11, version = version + 1 WHERE id = $1 AND version = $2",
                id,
                updated.version,
                updated.name.as_str(),
                updated.kind.slug(),
                updated.size_band.map(|s| s.slug()),
                updated.scope.map(|s| s.slug()),
                updated.is_anchor,
                updated.description.clone(),
                updated.website.clone(),
                updated.internal_notes.clone(),
                updated.audience.as_str(),
            ))
            .await?;
        if changed == 0 {
            drop(tx);
            let current = self
                .exec()
                .optional::<crate::sql::Count>(sql!(
                    "SELECT version AS n FROM organisation WHERE id = $1",
                    id
                ))
                .await?
                .map_or(0, |c| c.n);
            return Err(StoreError::Stale { current });
        }
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
        for ward in &updated.wards {
            tx.exec()
                .execute(sql!(
                    "INSERT INTO organisation_ward (organisation_id, ward) VALUES ($1, $2)",
                    id,
                    ward.as_str()
                ))
                .await?;
        }
        for identifier in &updated.identifiers {
            tx.exec()
                .execute(sql!(
                    "INSERT INTO organisation_identifier (organisation_id, identifier) VALUES ($1, $2)",
                    id,
                    identifier.as_str()
                ))
                .await?;
        }
        for lever in &updated.levers {
            tx.exec()
                .execute(sql!(
                    "INSERT INTO organisation_lever (organisation_id, lever, hardness, reach, detail) \
                     VALUES ($1, $2, $3, $4, $5)",
                    id,
                    lever.lever.slug(),
                    Value::from(lever.hardness.map(|h| h.slug())),
                    Value::from(lever.reach.map(|r| r.slug())),
                    lever.detail.clone()
                ))
                .await?;
        }
        let mut before_json = serde_json::to_value(before).unwrap_or_default();
        let mut after_json = serde_json::to_value(updated).unwrap_or_default();
        for json in [&mut before_json, &mut after_json] {
            if let Some(map) = json.as_object_mut() {
                map.remove("version");
            }
        }
        let detail = changes(&before_json, &after_json, &[]);
        tx.audit(
            &AuditLine {
                actor,
                action: "update",
                record_type: "organisation",
                record_id: Some(before.id.clone()),
                detail: Some(Json::Object(detail).to_string()),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(updated.version + 1)
    }
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
