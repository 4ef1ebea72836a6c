//! What every record's module shares: decoding stored terms, the viewer's
//! rank, resolving a reference as the writer may see it, versioned updates
//! that write only the fields the writer may set, and the audit line every
//! write carries.

use placeweave_domain::place::RecordRef;
use placeweave_domain::{Audience, Viewer};
use serde::Serialize;
use serde_json::{Map, Value as Json};
use sqlx::FromRow;

use crate::error::{Result, StoreError};
use crate::privacy::AuditLine;
use crate::sql::{Count, Id, Sql, Value, sql, visible};
use crate::write::Tx;

/// Who is writing, where, and what they may set. Every create and update
/// takes one, so references resolve as the writer may see them and an
/// update never touches what the writer could not see.
#[derive(Debug, Clone, Copy)]
pub struct Write<'a> {
    /// The place's database key.
    pub place: i64,
    pub viewer: Viewer,
    /// The fields the writer may set; an update writes only these.
    pub fields: &'a [&'a str],
    /// The account writing, for the audit line.
    pub actor: Option<i64>,
    /// Unix time, seconds.
    pub now: i64,
}

impl Write<'_> {
    pub(crate) fn may_set(&self, field: &str) -> bool {
        self.fields.contains(&field)
    }

    pub(crate) fn rank(&self) -> i64 {
        rank(self.viewer)
    }
}

/// Unix time, seconds, for the audit lines of bulk writes.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// The viewer's widest readable audience as a number, for SQL comparisons.
pub(crate) fn rank(viewer: Viewer) -> i64 {
    let widest = viewer.widest_readable();
    Audience::ALL
        .iter()
        .position(|a| *a == widest)
        .and_then(|p| i64::try_from(p).ok())
        .unwrap_or(0)
}

pub(crate) fn term<T>(
    column: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt {
        column,
        value: value.to_owned(),
    })
}

pub(crate) fn optional_term<T>(
    column: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    value.map(|v| term(column, v, parse)).transpose()
}

pub(crate) fn audience(value: &str) -> Result<Audience> {
    term("audience", value, Audience::parse)
}

#[derive(FromRow)]
pub(crate) struct RefRow {
    pub slug: String,
    pub name: String,
}

impl From<RefRow> for RecordRef {
    fn from(r: RefRow) -> Self {
        RecordRef {
            id: r.slug,
            name: r.name,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct TextRow {
    pub value: String,
}

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

fn json<T: Serialize>(record: &T) -> Json {
    let mut value = serde_json::to_value(record).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.remove("version");
    }
    value
}

/// Writes the audit line of a create (`before` is None) or an update. The
/// records are as the writer saw them, so the line holds nothing hidden
/// from the writer.
pub(crate) async fn audit_change<T: Serialize>(
    tx: &mut Tx,
    w: &Write<'_>,
    record_type: &str,
    record_id: String,
    before: Option<&T>,
    after: &T,
) -> Result<crate::write::Audited> {
    if before.is_some() {
        // Creates indexed themselves in their insert; an update's record
        // is read back from the tables as it now stands.
        tx.reindex_record(w.place, record_type, &record_id).await?;
    }
    let (action, detail) = match before {
        Some(before) => (
            "update",
            Json::Object(changes(&json(before), &json(after), &[])),
        ),
        None => ("create", json(after)),
    };
    tx.audit(
        &AuditLine {
            actor: w.actor,
            action,
            record_type,
            record_id: Some(record_id),
            detail: Some(detail.to_string()),
        },
        w.now,
    )
    .await
}

/// The database id of the record with `slug` in the place, if the writer
/// may see it; otherwise the same error as for a record that does not
/// exist, naming the field.
pub(crate) async fn resolve(
    tx: &mut Tx,
    w: &Write<'_>,
    table: &str,
    field: &'static str,
    slug: &str,
) -> Result<i64> {
    tx.exec()
        .optional::<Id>(sql!(
            format!(
                "SELECT id FROM {table} x WHERE x.place_id = $1 AND x.slug = $2 AND {}",
                visible("x", "$3")
            ),
            w.place,
            slug,
            w.rank()
        ))
        .await?
        .map(|r| r.id)
        .ok_or_else(|| StoreError::UnknownReference {
            field,
            id: slug.to_owned(),
        })
}

/// The assignments of an UPDATE, kept only for fields the writer may set.
pub(crate) struct Assignments<'w> {
    write: &'w Write<'w>,
    parts: Vec<String>,
    args: Vec<Value>,
}

impl<'w> Assignments<'w> {
    pub fn new(write: &'w Write<'w>) -> Self {
        Assignments {
            write,
            parts: Vec::new(),
            args: Vec::new(),
        }
    }

    /// The next placeholder; `$1` and `$2` are the row id and version.
    fn placeholder(&mut self, value: Value) -> String {
        self.args.push(value);
        format!("${}", self.args.len() + 2)
    }

    /// `column = value`, when the writer may set `field`.
    pub fn set(&mut self, field: &str, column: &str, value: impl Into<Value>) -> &mut Self {
        if self.write.may_set(field) {
            let p = self.placeholder(value.into());
            self.parts.push(format!("{column} = {p}"));
        }
        self
    }

    /// `column = value` whatever the writer may set: for columns the use
    /// case decides (a proposal's review), never a person's field.
    pub fn always(&mut self, column: &str, value: impl Into<Value>) -> &mut Self {
        let p = self.placeholder(value.into());
        self.parts.push(format!("{column} = {p}"));
        self
    }

    /// Sets a reference column, but keeps a current target the writer may
    /// not see: saving a form never drops a link the editor could not see.
    pub fn set_reference(
        &mut self,
        field: &str,
        table: &str,
        column: &str,
        target: &str,
        value: Option<i64>,
    ) -> &mut Self {
        if self.write.may_set(field) {
            let p = self.placeholder(Value::from(value));
            let rank = self.placeholder(Value::from(self.write.rank()));
            self.parts.push(format!(
                "{column} = CASE WHEN EXISTS (SELECT 1 FROM {target} h WHERE h.id = {table}.{column} \
                 AND NOT {}) THEN {column} ELSE {p} END",
                visible("h", &rank)
            ));
        }
        self
    }
}

/// Updates `table`'s row `id` if it is still at `version`, writing only the
/// assigned columns; otherwise `Stale`, and nothing is written. The check
/// and the write are one statement: two edits from one version cannot both
/// succeed.
pub(crate) async fn versioned(
    tx: &mut Tx,
    table: &str,
    id: i64,
    version: i64,
    set: Assignments<'_>,
) -> Result<()> {
    let mut assignments = set.parts;
    assignments.push("version = version + 1".to_owned());
    let mut statement = Sql::new(format!(
        "UPDATE {table} SET {} WHERE id = $1 AND version = $2",
        assignments.join(", ")
    ));
    statement.args.push(Value::from(id));
    statement.args.push(Value::from(version));
    statement.args.extend(set.args);
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

/// Replaces the links from `owner` in a link table, but only those to
/// targets the writer may see; links to hidden targets stay.
pub(crate) async fn replace_visible_links(
    tx: &mut Tx,
    w: &Write<'_>,
    link: (&str, &str, &str),
    target: &str,
    owner: i64,
) -> Result<()> {
    let (table, owner_column, target_column) = link;
    tx.exec()
        .execute(sql!(
            format!(
                "DELETE FROM {table} WHERE {owner_column} = $1 AND {target_column} IN \
                 (SELECT x.id FROM {target} x WHERE {})",
                visible("x", "$2")
            ),
            owner,
            w.rank()
        ))
        .await?;
    Ok(())
}

pub(crate) async fn next_position(tx: &mut Tx, table: &str, place: i64) -> Result<i64> {
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
