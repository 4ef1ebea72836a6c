//! Commitments: an organisation taking a role for a mission.

use placeweave_domain::commitment::{CommitmentStatus, Review};
use placeweave_domain::place::RecordRef;
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Audience, Commitment, PageRequest, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{Assignments, Write, audience, audit_change, rank, resolve, term, versioned};
use crate::sql::{Count, Sql, sql, visible};
use crate::write::Tx;

#[derive(FromRow)]
struct CommitmentRow {
    id: i64,
    organisation_slug: String,
    organisation_name: String,
    role_slug: Option<String>,
    role_name: Option<String>,
    mission_slug: Option<String>,
    mission_name: Option<String>,
    status: String,
    review: String,
    review_note: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    note: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

/// Which commitments to list.
#[derive(Debug, Clone, Default)]
pub struct CommitmentFilter {
    /// One commitment, by id.
    pub id: Option<i64>,
    pub organisation: Option<String>,
    pub mission: Option<String>,
    pub role: Option<String>,
    /// Only those at this point of review.
    pub review: Option<Review>,
    /// A partner's organisation, whose own proposals under review it sees
    /// besides what its audience may read (the policy's owner rule).
    pub proposals_of: Option<String>,
}

/// A new commitment, by database ids.
#[derive(Debug, Clone)]
pub struct NewCommitment {
    pub organisation_id: i64,
    pub role_id: Option<i64>,
    pub mission_id: Option<i64>,
    pub status: CommitmentStatus,
    pub review: Review,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub note: Option<String>,
    pub demonstration: bool,
    pub audience: Audience,
}

/// The database ids of a commitment's organisation, role and mission, each
/// as the writer may see it.
async fn links(
    tx: &mut Tx,
    w: &Write<'_>,
    c: &Commitment,
) -> Result<(i64, Option<i64>, Option<i64>)> {
    let organisation = resolve(tx, w, "organisation", "organisation", &c.organisation.id).await?;
    let role = match &c.role {
        Some(r) => Some(resolve(tx, w, "role", "role", &r.id).await?),
        None => None,
    };
    let mission = match &c.mission {
        Some(m) => Some(resolve(tx, w, "mission", "mission", &m.id).await?),
        None => None,
    };
    Ok((organisation, role, mission))
}

impl Store {
    pub async fn commitments(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &CommitmentFilter,
    ) -> Result<Vec<Commitment>> {
        let mut sql = commitment_sql(place, viewer, filter);
        sql.push(" ORDER BY o.name, c.id");
        self.commitment_rows(sql, viewer).await
    }

    /// One page of the commitments `filter` selects, and how many there
    /// are: both counted and cut in the database.
    pub async fn commitments_page(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &CommitmentFilter,
        page: PageRequest,
    ) -> Result<(Vec<Commitment>, i64)> {
        let mut sql = commitment_sql(place, viewer, filter);
        let total = self.exec().one::<Count>(sql.counted()).await?.n;
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.push(&format!(
            " ORDER BY o.name, c.id LIMIT {limit} OFFSET {offset}"
        ));
        let items = self.commitment_rows(sql, viewer).await?;
        Ok((items, total))
    }

    async fn commitment_rows(&self, sql: Sql, viewer: Viewer) -> Result<Vec<Commitment>> {
        self.exec()
            .all::<CommitmentRow>(sql)
            .await?
            .into_iter()
            .map(|c| {
                let reference = |slug: Option<String>, name: Option<String>| {
                    slug.zip(name).map(|(id, name)| RecordRef { id, name })
                };
                Ok(Commitment {
                    id: c.id,
                    organisation: RecordRef {
                        id: c.organisation_slug,
                        name: c.organisation_name,
                    },
                    role: reference(c.role_slug, c.role_name),
                    mission: reference(c.mission_slug, c.mission_name),
                    status: term("status", &c.status, CommitmentStatus::parse)?,
                    review: term("review", &c.review, Review::parse)?,
                    review_note: c.review_note,
                    start_date: c.start_date,
                    end_date: c.end_date,
                    note: c.note,
                    demonstration: c.demonstration,
                    audience: audience(&c.audience)?,
                    version: c.version,
                }
                .redact_for(viewer))
            })
            .collect()
    }

    /// Records a commitment; returns its id.
    pub async fn create_commitment(&self, w: &Write<'_>, commitment: &Commitment) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (organisation_id, role_id, mission_id) = links(&mut tx, w, commitment).await?;
        let id = tx
            .insert_commitment(
                w.place,
                &NewCommitment {
                    organisation_id,
                    role_id,
                    mission_id,
                    status: commitment.status,
                    review: commitment.review,
                    start_date: commitment.start_date.clone(),
                    end_date: commitment.end_date.clone(),
                    note: commitment.note.clone(),
                    demonstration: false,
                    audience: commitment.audience,
                },
            )
            .await?;
        let mut created = commitment.clone();
        created.id = id;
        let audited =
            audit_change(&mut tx, w, "commitment", id.to_string(), None, &created).await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// A role or mission the writer cannot see stays as it is.
    pub async fn update_commitment(
        &self,
        w: &Write<'_>,
        before: &Commitment,
        after: &Commitment,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let (organisation_id, role_id, mission_id) = links(&mut tx, w, after).await?;
        let mut set = Assignments::new(w);
        set.set("organisation", "organisation_id", organisation_id)
            .set_reference("role", "commitment", "role_id", "role", role_id)
            .set_reference("mission", "commitment", "mission_id", "mission", mission_id)
            .set("status", "status", after.status.slug())
            .set("start_date", "start_date", after.start_date.clone())
            .set("end_date", "end_date", after.end_date.clone())
            .set("note", "note", after.note.clone())
            .set("audience", "audience", after.audience.as_str());
        // A partner's revision (of a declined proposal, or of an accepted
        // commitment) goes back for review, held at the audience the use
        // case chose though the audience is not the partner's to set.
        if after.review != before.review {
            set.always("review", after.review.slug());
            if !w.fields.contains(&"audience") {
                set.always("audience", after.audience.as_str());
            }
        }
        write_audited(tx, w, (before, after), after.version, set).await
    }

    /// Writes the partnership team's decision on a proposal: its review,
    /// the note back to the partner and the audience it now has.
    pub async fn review_commitment(
        &self,
        w: &Write<'_>,
        before: &Commitment,
        after: &Commitment,
    ) -> Result<()> {
        let tx = self.begin().await?;
        let mut set = Assignments::new(w);
        set.always("review", after.review.slug())
            .always("review_note", after.review_note.clone())
            .always("audience", after.audience.as_str());
        write_audited(tx, w, (before, after), before.version, set).await
    }
}

/// Writes `set` to the commitment if it is still at `version`, with the
/// audit line of the change, in one transaction.
async fn write_audited(
    mut tx: Tx,
    w: &Write<'_>,
    (before, after): (&Commitment, &Commitment),
    version: i64,
    set: Assignments<'_>,
) -> Result<()> {
    versioned(&mut tx, "commitment", before.id, version, set).await?;
    let audited = audit_change(
        &mut tx,
        w,
        "commitment",
        before.id.to_string(),
        Some(before),
        after,
    )
    .await?;
    tx.commit(audited).await
}

impl Tx {
    pub async fn insert_commitment(&mut self, place_id: i64, c: &NewCommitment) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO commitment (place_id, organisation_id, role_id, mission_id, status, \
             start_date, end_date, note, demonstration, audience, updated_at, review, id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            place_id,
            c.organisation_id,
            c.role_id,
            c.mission_id,
            c.status.slug(),
            c.start_date.clone(),
            c.end_date.clone(),
            c.note.clone(),
            c.demonstration,
            c.audience.as_str(),
            crate::record::unix_now(),
            c.review.slug(),
            crate::write::unguessable_id(),
        );
        self.returning_id(sql).await
    }
}

/// The commitments `filter` selects that `viewer` may see, unordered.
fn commitment_sql(place: i64, viewer: Viewer, filter: &CommitmentFilter) -> Sql {
    let mut sql = sql!(
        format!(
            "SELECT c.id, o.slug AS organisation_slug, o.name AS organisation_name, \
             r.slug AS role_slug, r.name AS role_name, m.slug AS mission_slug, \
             m.short_name AS mission_name, c.status, c.review, c.review_note, c.start_date, c.end_date, c.note, \
             c.demonstration, c.audience, c.version \
             FROM commitment c JOIN organisation o ON o.id = c.organisation_id \
             LEFT JOIN role r ON r.id = c.role_id AND {role_visible} \
             LEFT JOIN mission m ON m.id = c.mission_id AND {mission_visible} \
             WHERE c.place_id = $1 AND {o_visible} AND ({c_visible}",
            role_visible = visible("r", "$2"),
            mission_visible = visible("m", "$2"),
            c_visible = visible("c", "$2"),
            o_visible = visible("o", "$2"),
        ),
        place,
        rank(viewer)
    );
    match &filter.proposals_of {
        Some(own) => {
            let p = sql.arg(own.as_str());
            sql.push(&format!(" OR (c.review <> 'accepted' AND o.slug = {p}))"));
        }
        None => {
            sql.push(")");
        }
    }
    if let Some(review) = filter.review {
        let p = sql.arg(review.slug());
        sql.push(&format!(" AND c.review = {p}"));
    }
    for (column, value) in [
        ("o.slug", &filter.organisation),
        ("m.slug", &filter.mission),
        ("r.slug", &filter.role),
    ] {
        if let Some(value) = value {
            let p = sql.arg(value.as_str());
            sql.push(&format!(" AND {column} = {p}"));
        }
    }
    if let Some(id) = filter.id {
        let p = sql.arg(id);
        sql.push(&format!(" AND c.id = {p}"));
    }
    sql
}
