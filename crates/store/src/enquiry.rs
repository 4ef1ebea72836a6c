//! Enquiries from the public ("Express interest"): personal data, read only
//! by staff and administrators, counted per client for the rate limit, and
//! deleted by retention and erasure (see `privacy`).

use placeweave_domain::Viewer;
use placeweave_domain::contact::{LawfulBasis, Retention};
use placeweave_domain::enquiry::{
    Enquiry, EnquiryStatus, LAWFUL_BASIS, NewEnquiry, RETENTION, Triage,
};
use placeweave_domain::place::RecordRef;
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::privacy::AuditLine;
use crate::record::{Write, resolve};
use crate::relationship::NewRelationship;
use crate::sql::{Count, Id, sql};
use crate::write::Tx;

#[derive(FromRow)]
struct EnquiryRow {
    id: i64,
    reference: String,
    organisation_name: String,
    name: String,
    email: String,
    role_slug: Option<String>,
    role_name: Option<String>,
    mission_slug: Option<String>,
    mission_name: Option<String>,
    message: String,
    status: String,
    note: Option<String>,
    relationship_id: Option<i64>,
    lawful_basis: String,
    retention: String,
    received_at: i64,
    retain_until: i64,
    demonstration: bool,
}

const ENQUIRY_COLUMNS: &str = "SELECT e.id, e.reference, e.organisation_name, e.name, e.email, \
     r.slug AS role_slug, r.name AS role_name, m.slug AS mission_slug, \
     m.short_name AS mission_name, e.message, e.status, e.note, e.relationship_id, \
     e.lawful_basis, e.retention, e.received_at, e.retain_until, e.demonstration \
     FROM enquiry e LEFT JOIN role r ON r.id = e.role_id \
     LEFT JOIN mission m ON m.id = e.mission_id";

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
    }
}

fn reference(slug: Option<String>, name: Option<String>) -> Option<RecordRef> {
    Some(RecordRef {
        id: slug?,
        name: name.unwrap_or_default(),
    })
}

fn enquiry_from(row: EnquiryRow) -> Result<Enquiry> {
    Ok(Enquiry {
        id: row.id,
        reference: row.reference,
        organisation_name: row.organisation_name,
        name: row.name,
        email: row.email,
        role: reference(row.role_slug, row.role_name),
        mission: reference(row.mission_slug, row.mission_name),
        message: row.message,
        status: EnquiryStatus::parse(&row.status)
            .ok_or_else(|| corrupt("enquiry.status", &row.status))?,
        note: row.note,
        relationship: row.relationship_id,
        lawful_basis: LawfulBasis::parse(&row.lawful_basis)
            .ok_or_else(|| corrupt("enquiry.lawful_basis", &row.lawful_basis))?,
        retention: Retention::parse(&row.retention)
            .ok_or_else(|| corrupt("enquiry.retention", &row.retention))?,
        received_at: row.received_at,
        retain_until: row.retain_until,
        demonstration: row.demonstration,
    })
}

/// Enquiries are staff-only whatever else holds: the store repeats the rule.
fn may_read(viewer: Viewer) -> bool {
    matches!(viewer, Viewer::Staff | Viewer::Admin)
}

/// How a triage ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Triaged {
    Declined,
    /// A new relationship was started: its id.
    Related(i64),
    /// The organisation already has a relationship (its id): nothing was written.
    AlreadyRelated(i64),
}

impl Store {
    /// Counts a submission from `client` and says whether it may go ahead
    /// (fewer than `limit` since `since`); counting and recording are one
    /// serialised step, as for sign-in attempts.
    pub async fn admit_enquiry(
        &self,
        client: &str,
        now: i64,
        since: i64,
        limit: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(_) = tx {
            tx.exec()
                .execute(sql!(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                    format!("enquiry client {client}")
                ))
                .await?;
        }
        let count = tx
            .exec()
            .one::<Count>(sql!(
                "SELECT COUNT(*) AS n FROM enquiry_attempt WHERE client = $1 AND at > $2",
                client,
                since
            ))
            .await?
            .n;
        let admitted = count < limit;
        if admitted {
            tx.exec()
                .execute(sql!(
                    "INSERT INTO enquiry_attempt (client, at) VALUES ($1, $2)",
                    client,
                    now
                ))
                .await?;
        }
        tx.commit_unaudited().await?;
        Ok(admitted)
    }

    /// Stores an enquiry with its audit line (personal fields masked) in
    /// one transaction; its role and mission must be public ones of the
    /// place (`w.viewer` is the public).
    pub async fn add_enquiry(
        &self,
        w: &Write<'_>,
        enquiry: &NewEnquiry,
        reference: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.insert_enquiry(w, enquiry, reference).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "create",
                    record_type: "enquiry",
                    record_id: Some(id.to_string()),
                    detail: Some(format!(
                        "{{\"organisation_name\":\"***\",\"name\":\"***\",\"email\":\"***\",\
                         \"message\":\"***\",\"lawful_basis\":\"{}\",\"retention\":\"{}\"}}",
                        LAWFUL_BASIS.slug(),
                        RETENTION.slug()
                    )),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// How many of the place's enquiries wait to be triaged; none for
    /// anyone but staff and administrators.
    pub async fn new_enquiry_count(&self, place: i64, viewer: Viewer) -> Result<i64> {
        if !may_read(viewer) {
            return Ok(0);
        }
        Ok(self
            .exec()
            .one::<crate::sql::Count>(sql!(
                "SELECT COUNT(*) AS n FROM enquiry WHERE place_id = $1 AND status = 'new'",
                place
            ))
            .await?
            .n)
    }

    /// The place's enquiries, new ones first then newest first; nothing
    /// for anyone but staff and administrators.
    pub async fn enquiries(
        &self,
        place: i64,
        viewer: Viewer,
        id: Option<i64>,
    ) -> Result<Vec<Enquiry>> {
        if !may_read(viewer) {
            return Ok(vec![]);
        }
        let mut sql = sql!(format!("{ENQUIRY_COLUMNS} WHERE e.place_id = $1"), place);
        if let Some(id) = id {
            let p = sql.arg(id);
            sql.push(&format!(" AND e.id = {p}"));
        }
        sql.push(
            " ORDER BY CASE WHEN e.status = 'new' THEN 0 ELSE 1 END, e.received_at DESC, e.id DESC",
        );
        self.exec()
            .all::<EnquiryRow>(sql)
            .await?
            .into_iter()
            .map(enquiry_from)
            .collect()
    }

    /// Every enquiry made with this email address, for subject access.
    pub(crate) async fn enquiries_by_email(&self, email: &str) -> Result<Vec<Enquiry>> {
        self.exec()
            .all::<EnquiryRow>(sql!(
                format!("{ENQUIRY_COLUMNS} WHERE e.email = $1 ORDER BY e.id"),
                email
            ))
            .await?
            .into_iter()
            .map(enquiry_from)
            .collect()
    }

    /// Declines a new enquiry, or starts a relationship from it with an
    /// organisation the writer may see, in one transaction with its audit
    /// lines. An enquiry already triaged or declined is `Missing`.
    pub async fn triage_enquiry(&self, w: &Write<'_>, id: i64, triage: &Triage) -> Result<Triaged> {
        let mut tx = self.begin().await?;
        let open = tx
            .exec()
            .optional::<Id>(sql!(
                "SELECT id FROM enquiry WHERE place_id = $1 AND id = $2 AND status = 'new'",
                w.place,
                id
            ))
            .await?;
        if open.is_none() {
            return Err(StoreError::Missing(format!("new enquiry {id}")));
        }
        let (outcome, status, note, relationship) = match triage {
            Triage::Decline { note } => (Triaged::Declined, "declined", Some(note.clone()), None),
            Triage::Relate {
                organisation,
                stage,
            } => {
                let organisation_id =
                    resolve(&mut tx, w, "organisation", "organisation", organisation).await?;
                let existing = tx
                    .exec()
                    .optional::<Id>(sql!(
                        "SELECT id FROM relationship WHERE place_id = $1 AND organisation_id = $2",
                        w.place,
                        organisation_id
                    ))
                    .await?;
                if let Some(existing) = existing {
                    drop(tx);
                    return Ok(Triaged::AlreadyRelated(existing.id));
                }
                let relationship = tx
                    .insert_relationship(
                        w.place,
                        &NewRelationship {
                            organisation_id,
                            stage: *stage,
                            formality: placeweave_domain::relationship::Formality::Informal,
                            health: None,
                            health_reason: None,
                            sensitivities: None,
                            demonstration: false,
                            owner_ids: w.actor.into_iter().collect(),
                            mission_ids: vec![],
                            history: vec![(*stage, placeweave_domain::date::iso_date(w.now))],
                        },
                    )
                    .await?;
                // One commit for both lines: the enquiry's proof below.
                let _ = tx
                    .audit(
                    &AuditLine {
                        actor: w.actor,
                        action: "create",
                        record_type: "relationship",
                        record_id: Some(relationship.to_string()),
                        detail: Some(format!(
                            "{{\"organisation\":\"{organisation}\",\"stage\":\"{}\",\"from_enquiry\":{id}}}",
                            stage.slug()
                        )),
                    },
                    w.now,
                )
                .await?;
                (
                    Triaged::Related(relationship),
                    "triaged",
                    None,
                    Some(relationship),
                )
            }
        };
        tx.exec()
            .execute(sql!(
                "UPDATE enquiry SET status = $1, note = $2, relationship_id = $3 WHERE id = $4",
                status,
                note,
                relationship,
                id
            ))
            .await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "triage",
                    record_type: "enquiry",
                    record_id: Some(id.to_string()),
                    detail: Some(format!("{{\"status\":\"{status}\"}}")),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(outcome)
    }
}

impl Tx {
    /// Inserts an enquiry; a role or mission that is not one `w.viewer`
    /// may see is an unknown reference naming the field.
    pub async fn insert_enquiry(
        &mut self,
        w: &Write<'_>,
        enquiry: &NewEnquiry,
        reference: &str,
    ) -> Result<i64> {
        let role = match &enquiry.role {
            Some(slug) => Some(resolve(self, w, "role", "role", slug).await?),
            None => None,
        };
        let mission = match &enquiry.mission {
            Some(slug) => Some(resolve(self, w, "mission", "mission", slug).await?),
            None => None,
        };
        self.returning_id(sql!(
            "INSERT INTO enquiry (place_id, reference, organisation_name, name, email, role_id, \
             mission_id, message, lawful_basis, retention, retain_until, received_at, demonstration) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            w.place,
            reference,
            enquiry.organisation_name.as_str(),
            enquiry.name.as_str(),
            enquiry.email.as_str(),
            role,
            mission,
            enquiry.message.as_str(),
            LAWFUL_BASIS.slug(),
            RETENTION.slug(),
            w.now + RETENTION.period_seconds(),
            w.now,
            enquiry.demonstration,
        ))
        .await
    }
}

/// Deletes enquiries past their retention date and the rate limit's
/// bookkeeping older than `forget_before`, inside the retention job's
/// transaction; returns how many enquiries went.
pub(crate) async fn expire(tx: &mut Tx, now: i64, forget_before: i64) -> Result<u64> {
    tx.exec()
        .execute(sql!(
            "DELETE FROM enquiry_attempt WHERE at < $1",
            forget_before
        ))
        .await?;
    tx.exec()
        .execute(sql!("DELETE FROM enquiry WHERE retain_until < $1", now))
        .await
}

/// The statements that make deleted enquiries unrecoverable on PostgreSQL.
pub(crate) const VACUUM: &[&str] = &["VACUUM FULL enquiry"];
