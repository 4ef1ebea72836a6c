//! Interactions with partners, the staff who took part and their
//! follow-up actions. Read only at staff level and above (the record's
//! audience is never wider than staff); the private summary is cut by the
//! domain's `Redact`.

use placeweave_domain::interaction::{FollowUp, Interaction, InteractionKind};
use placeweave_domain::place::RecordRef;
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Audience, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::privacy::{AuditLine, contact_visible};
use crate::record::{
    Assignments, Write, audience, audit_change, rank, replace_visible_links, resolve, term,
    versioned,
};
use crate::relationship::{LinkRow, resolve_staff, without_names};
use crate::sql::{Sql, sql, visible};
use crate::write::Tx;

const INTERACTION_STAFF: (&str, &str, &str) = ("interaction_staff", "interaction_id", "account_id");
const INTERACTION_CONTACT: (&str, &str, &str) =
    ("interaction_contact", "interaction_id", "contact_id");
const INTERACTION_ORGANISATION: (&str, &str, &str) = (
    "interaction_organisation",
    "interaction_id",
    "organisation_id",
);

#[derive(FromRow)]
struct InteractionRow {
    id: i64,
    organisation_slug: String,
    organisation_name: String,
    kind: String,
    occurred_on: String,
    summary: Option<String>,
    outcomes: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct FollowUpRow {
    id: i64,
    interaction_id: i64,
    action: String,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    due_on: Option<String>,
    done: bool,
}

/// Which interactions to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    pub id: Option<i64>,
    /// An organisation's slug.
    pub organisation: Option<String>,
    /// At most this many.
    pub limit: Option<i64>,
}

/// A new interaction, by database ids, for the demo, generated places and
/// fixtures. Follow-ups are (action, owner account, due date, done).
#[derive(Debug, Clone)]
pub struct NewInteraction {
    pub organisation_id: i64,
    pub other_organisation_ids: Vec<i64>,
    pub kind: InteractionKind,
    pub date: String,
    pub staff_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub summary: Option<String>,
    pub outcomes: Option<String>,
    pub follow_ups: Vec<(String, Option<i64>, Option<String>, bool)>,
    pub demonstration: bool,
}

/// An interaction as its audit line records it: people by id (a contact's
/// name is personal data, and the audit log outlives an erasure).
fn for_audit(i: &Interaction) -> Interaction {
    let mut i = i.clone();
    without_names(&mut i.staff);
    without_names(&mut i.contacts);
    for f in &mut i.follow_ups {
        if let Some(owner) = &mut f.owner {
            owner.name.clear();
        }
    }
    i
}

/// An interaction's references as database ids, each as the writer may
/// see it.
struct Links {
    organisation: i64,
    others: Vec<i64>,
    staff: Vec<i64>,
    contacts: Vec<i64>,
    /// The new follow-ups: action, owner and due date.
    follow_ups: Vec<(String, Option<i64>, Option<String>)>,
}

/// `kept`: the organisations linked already that the writer cannot see,
/// which stay and so still take part.
async fn links(tx: &mut Tx, w: &Write<'_>, i: &Interaction, kept: &[i64]) -> Result<Links> {
    let organisation = resolve(tx, w, "organisation", "organisation", &i.organisation.id).await?;
    let mut others = Vec::new();
    for other in &i.other_organisations {
        others.push(resolve(tx, w, "organisation", "other_organisations", &other.id).await?);
    }
    let mut staff = Vec::new();
    for person in &i.staff {
        staff.push(resolve_staff(tx, "staff", &person.id).await?);
    }
    let mut taking_part = others.clone();
    taking_part.push(organisation);
    taking_part.extend_from_slice(kept);
    let mut contacts = Vec::new();
    for contact in &i.contacts {
        contacts.push(resolve_contact(tx, w, &contact.id, &taking_part).await?);
    }
    let mut follow_ups = Vec::new();
    for f in i.follow_ups.iter().filter(|f| f.id == 0) {
        let owner = match &f.owner {
            Some(o) => Some(resolve_staff(tx, "follow_up_owner", &o.id).await?),
            None => None,
        };
        follow_ups.push((f.action.clone(), owner, f.due.clone()));
    }
    Ok(Links {
        organisation,
        others,
        staff,
        contacts,
        follow_ups,
    })
}

/// A contact the writer may see, at one of the organisations taking part.
async fn resolve_contact(tx: &mut Tx, w: &Write<'_>, id: &str, taking_part: &[i64]) -> Result<i64> {
    #[derive(FromRow)]
    struct Found {
        id: i64,
        organisation_id: i64,
    }
    let unknown = || StoreError::UnknownReference {
        field: "contacts",
        id: id.to_owned(),
    };
    let key: i64 = id.parse().map_err(|_| unknown())?;
    let Some(visible) = contact_visible(w.viewer) else {
        return Err(unknown());
    };
    let found = tx
        .exec()
        .optional::<Found>(sql!(
            format!(
                "SELECT c.id, c.organisation_id FROM contact c \
                 JOIN organisation o ON o.id = c.organisation_id \
                 WHERE c.id = $1 AND c.place_id = $2 AND {visible} AND {}",
                crate::sql::visible("o", "$3")
            ),
            key,
            w.place,
            w.rank()
        ))
        .await?
        .ok_or_else(unknown)?;
    // No name in the message: it reaches the API, which serves no
    // contact's personal data.
    if !taking_part.contains(&found.organisation_id) {
        return Err(StoreError::Mismatch {
            field: "contacts",
            message: "Each contact must work at an organisation that took part: add their \
                      organisation to the other organisations, or untick them"
                .into(),
        });
    }
    Ok(found.id)
}

impl Store {
    /// The interactions the organisation `slug` took part in (as the
    /// partner or as another organisation at a roundtable); none for an
    /// organisation the viewer cannot see, as for a missing one. Found
    /// first, by the organisation's keys, so that the query that reads
    /// them looks each up by id: in one statement PostgreSQL hashed the
    /// place's every interaction against them (23 ms at 100,000).
    pub(crate) async fn taking_part(
        &self,
        place: i64,
        viewer: Viewer,
        slug: &str,
    ) -> Result<Vec<i64>> {
        let organisation = format!(
            "(SELECT x.id FROM organisation x WHERE x.place_id = $1 AND x.slug = $2 AND {})",
            visible("x", "$3")
        );
        Ok(self
            .exec()
            .all::<crate::sql::Id>(sql!(
                format!(
                    "SELECT y.id FROM interaction y WHERE y.organisation_id = {organisation} \
                     UNION SELECT io.interaction_id AS id FROM interaction_organisation io \
                     WHERE io.organisation_id = {organisation}"
                ),
                place,
                slug,
                rank(viewer)
            ))
            .await?
            .into_iter()
            .map(|row| row.id)
            .collect())
    }
}

/// The organisations linked to `interaction` that the writer cannot see.
async fn hidden_organisations(tx: &mut Tx, w: &Write<'_>, interaction: i64) -> Result<Vec<i64>> {
    Ok(tx
        .exec()
        .all::<crate::sql::Id>(sql!(
            format!(
                "SELECT o.id FROM interaction_organisation io \
                 JOIN organisation o ON o.id = io.organisation_id \
                 WHERE io.interaction_id = $1 AND NOT ({})",
                crate::sql::visible("o", "$2")
            ),
            interaction,
            w.rank()
        ))
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect())
}

/// Unlinks every contact (those the writer cannot see too) whose
/// organisation no longer takes part: if it was not there, nor were they.
async fn unlink_absent_contacts(tx: &mut Tx, interaction: i64) -> Result<()> {
    tx.exec()
        .execute(sql!(
            "DELETE FROM interaction_contact WHERE interaction_id = $1 AND contact_id IN \
             (SELECT c.id FROM contact c WHERE c.organisation_id <> \
             (SELECT i.organisation_id FROM interaction i WHERE i.id = $1) \
             AND c.organisation_id NOT IN (SELECT io.organisation_id \
             FROM interaction_organisation io WHERE io.interaction_id = $1))",
            interaction
        ))
        .await?;
    Ok(())
}

/// Unlinks the contacts the writer may see (and so may have unticked); a
/// restricted contact an administrator added stays when staff edit.
async fn unlink_visible_contacts(tx: &mut Tx, w: &Write<'_>, interaction: i64) -> Result<()> {
    let Some(visible) = contact_visible(w.viewer) else {
        return Ok(());
    };
    tx.exec()
        .execute(sql!(
            format!(
                "DELETE FROM interaction_contact WHERE interaction_id = $1 AND contact_id IN \
                 (SELECT c.id FROM contact c JOIN organisation o ON o.id = c.organisation_id \
                 WHERE {visible} AND {})",
                crate::sql::visible("o", "$2")
            ),
            interaction,
            w.rank()
        ))
        .await?;
    Ok(())
}

impl Store {
    /// The interactions `filter` selects that `viewer` may see, newest first.
    pub async fn interactions(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &InteractionFilter,
    ) -> Result<Vec<Interaction>> {
        // Rows chosen by id are read by id: `+` keeps SQLite from walking
        // the place's interactions by date instead (67 ms at 100,000).
        let place_column = if filter.id.is_some() || filter.organisation.is_some() {
            "+i.place_id"
        } else {
            "i.place_id"
        };
        let mut sql = sql!(
            format!(
                "SELECT i.id, o.slug AS organisation_slug, o.name AS organisation_name, i.kind, \
                 i.occurred_on, i.summary, i.outcomes, i.demonstration, i.audience, i.version \
                 FROM interaction i JOIN organisation o ON o.id = i.organisation_id \
                 WHERE {place_column} = $1 AND {i_visible} AND {o_visible}",
                i_visible = visible("i", "$2"),
                o_visible = visible("o", "$2"),
            ),
            place,
            rank(viewer)
        );
        if let Some(id) = filter.id {
            let p = sql.arg(id);
            sql.push(&format!(" AND i.id = {p}"));
        }
        if let Some(organisation) = &filter.organisation {
            let ids = self.taking_part(place, viewer, organisation).await?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            sql.push(&format!(" AND i.id IN ({})", crate::sql::id_list(&ids)));
        }
        sql.push(" ORDER BY i.occurred_on DESC, i.id DESC");
        if let Some(limit) = filter.limit {
            let p = sql.arg(limit);
            sql.push(&format!(" LIMIT {p}"));
        }
        let rows = self.exec().all::<InteractionRow>(sql).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let staff = self
            .links_of(
                &ids,
                viewer,
                "SELECT s.interaction_id AS owner_id, CAST(a.id AS TEXT) AS slug, \
                 a.display_name AS name FROM interaction_staff s \
                 JOIN account a ON a.id = s.account_id \
                 WHERE s.interaction_id IN ({ids}) ORDER BY a.display_name, a.id",
                false,
            )
            .await?;
        let others = self
            .links_of(
                &ids,
                viewer,
                "SELECT io.interaction_id AS owner_id, m.slug, m.name \
                 FROM interaction_organisation io JOIN organisation m ON m.id = io.organisation_id \
                 WHERE io.interaction_id IN ({ids}) AND {visible} ORDER BY m.name, m.id",
                true,
            )
            .await?;
        // Contacts: only those the viewer may see, at organisations they
        // may see (names only: details stay on the audited contacts page).
        let contacts = match contact_visible(viewer) {
            Some(contact_visible) => {
                self.links_of(
                    &ids,
                    viewer,
                    &format!(
                        "SELECT ic.interaction_id AS owner_id, CAST(c.id AS TEXT) AS slug, \
                         c.name AS name FROM interaction_contact ic \
                         JOIN contact c ON c.id = ic.contact_id \
                         JOIN organisation m ON m.id = c.organisation_id \
                         WHERE ic.interaction_id IN ({{ids}}) AND {{visible}} AND {contact_visible} \
                         ORDER BY c.name, c.id"
                    ),
                    true,
                )
                .await?
            }
            None => vec![],
        };
        let mut follow_up_sql = Sql::new("");
        let placeholders = crate::sql::id_list(&ids);
        follow_up_sql.push(&format!(
            "SELECT f.id, f.interaction_id, f.action, f.owner_id, a.display_name AS owner_name, \
             f.due_on, f.done FROM follow_up f LEFT JOIN account a ON a.id = f.owner_id \
             WHERE f.interaction_id IN ({}) ORDER BY f.id",
            placeholders
        ));
        let mut follow_ups_of: std::collections::HashMap<i64, Vec<FollowUp>> =
            std::collections::HashMap::new();
        for f in self.exec().all::<FollowUpRow>(follow_up_sql).await? {
            follow_ups_of
                .entry(f.interaction_id)
                .or_default()
                .push(FollowUp {
                    id: f.id,
                    action: f.action,
                    owner: f.owner_id.zip(f.owner_name).map(|(id, name)| RecordRef {
                        id: id.to_string(),
                        name,
                    }),
                    due: f.due_on,
                    done: f.done,
                });
        }
        let mut staff = LinkRow::by_owner(staff);
        let mut others = LinkRow::by_owner(others);
        let mut contacts = LinkRow::by_owner(contacts);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(
                Interaction {
                    id: row.id,
                    organisation: RecordRef {
                        id: row.organisation_slug,
                        name: row.organisation_name,
                    },
                    kind: term("kind", &row.kind, InteractionKind::parse)?,
                    date: row.occurred_on,
                    other_organisations: others.remove(&row.id).unwrap_or_default(),
                    staff: staff.remove(&row.id).unwrap_or_default(),
                    contacts: contacts.remove(&row.id).unwrap_or_default(),
                    summary: row.summary,
                    outcomes: row.outcomes,
                    follow_ups: follow_ups_of.remove(&row.id).unwrap_or_default(),
                    demonstration: row.demonstration,
                    audience: audience(&row.audience)?,
                    version: row.version,
                }
                .redact_for(viewer),
            );
        }
        Ok(out)
    }

    /// One interaction, if `viewer` may see it.
    pub async fn interaction(
        &self,
        place: i64,
        id: i64,
        viewer: Viewer,
    ) -> Result<Option<Interaction>> {
        let filter = InteractionFilter {
            id: Some(id),
            ..Default::default()
        };
        Ok(self
            .interactions(place, viewer, &filter)
            .await?
            .into_iter()
            .next())
    }

    /// Logs an interaction with its staff and follow-ups; returns its id.
    pub async fn create_interaction(&self, w: &Write<'_>, i: &Interaction) -> Result<i64> {
        let mut tx = self.begin().await?;
        let links = links(&mut tx, w, i, &[]).await?;
        let id = tx
            .insert_interaction(
                w.place,
                &NewInteraction {
                    organisation_id: links.organisation,
                    other_organisation_ids: links.others,
                    kind: i.kind,
                    date: i.date.clone(),
                    staff_ids: links.staff,
                    contact_ids: links.contacts,
                    summary: i.summary.clone(),
                    outcomes: i.outcomes.clone(),
                    follow_ups: links
                        .follow_ups
                        .into_iter()
                        .map(|(action, owner, due)| (action, owner, due, false))
                        .collect(),
                    demonstration: false,
                },
            )
            .await?;
        let mut created = for_audit(i);
        created.id = id;
        let audited =
            audit_change(&mut tx, w, "interaction", id.to_string(), None, &created).await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// Writes only what the writer may set; a new follow-up is added;
    /// organisations and contacts the writer cannot see stay linked.
    pub async fn update_interaction(
        &self,
        w: &Write<'_>,
        before: &Interaction,
        after: &Interaction,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let kept = hidden_organisations(&mut tx, w, before.id).await?;
        let links = links(&mut tx, w, after, &kept).await?;
        let mut set = Assignments::new(w);
        set.set("organisation", "organisation_id", links.organisation)
            .set("kind", "kind", after.kind.slug())
            .set("date", "occurred_on", after.date.as_str())
            .set("summary", "summary", after.summary.clone())
            .set("outcomes", "outcomes", after.outcomes.clone());
        versioned(&mut tx, "interaction", before.id, after.version, set).await?;
        if w.may_set("staff") {
            tx.exec()
                .execute(sql!(
                    "DELETE FROM interaction_staff WHERE interaction_id = $1",
                    before.id
                ))
                .await?;
            tx.link_all(INTERACTION_STAFF, before.id, &links.staff)
                .await?;
        }
        if w.may_set("other_organisations") {
            replace_visible_links(
                &mut tx,
                w,
                INTERACTION_ORGANISATION,
                "organisation",
                before.id,
            )
            .await?;
            tx.link_all(INTERACTION_ORGANISATION, before.id, &links.others)
                .await?;
        }
        if w.may_set("contacts") {
            unlink_visible_contacts(&mut tx, w, before.id).await?;
            tx.link_all(INTERACTION_CONTACT, before.id, &links.contacts)
                .await?;
        }
        unlink_absent_contacts(&mut tx, before.id).await?;
        if w.may_set("follow_up") {
            for (action, owner, due) in links.follow_ups {
                tx.insert_follow_up(before.id, &action, owner, due, false)
                    .await?;
            }
        }
        let audited = audit_change(
            &mut tx,
            w,
            "interaction",
            before.id.to_string(),
            Some(&for_audit(before)),
            &for_audit(after),
        )
        .await?;
        tx.commit(audited).await
    }

    /// Marks follow-up `follow_up` of interaction `interaction` done or not
    /// (the writer has read the interaction); `Missing` if it is not one of
    /// its follow-ups in the other state.
    pub async fn set_follow_up_done(
        &self,
        w: &Write<'_>,
        interaction: i64,
        follow_up: i64,
        done: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = tx
            .exec()
            .execute(sql!(
                "UPDATE follow_up SET done = $3 WHERE id = $1 AND interaction_id = $2 \
                 AND done <> $3",
                follow_up,
                interaction,
                done
            ))
            .await?;
        if changed == 0 {
            return Err(StoreError::Missing("such a follow-up".into()));
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "update",
                    record_type: "follow-up",
                    record_id: Some(follow_up.to_string()),
                    detail: Some(
                        serde_json::json!({"interaction": interaction, "done": {"before": !done, "after": done}})
                            .to_string(),
                    ),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    /// Inserts an interaction with its staff and follow-ups.
    pub async fn insert_interaction(&mut self, place_id: i64, i: &NewInteraction) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO interaction (place_id, organisation_id, kind, occurred_on, summary, \
             outcomes, demonstration, audience, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
            place_id,
            i.organisation_id,
            i.kind.slug(),
            i.date.as_str(),
            i.summary.clone(),
            i.outcomes.clone(),
            i.demonstration,
            Audience::Staff.as_str(),
            crate::write::unguessable_id(),
        );
        let id = self.returning_id(sql).await?;
        self.link_all(INTERACTION_STAFF, id, &i.staff_ids).await?;
        self.link_all(INTERACTION_ORGANISATION, id, &i.other_organisation_ids)
            .await?;
        self.link_all(INTERACTION_CONTACT, id, &i.contact_ids)
            .await?;
        for (action, owner, due, done) in &i.follow_ups {
            self.insert_follow_up(id, action, *owner, due.clone(), *done)
                .await?;
        }
        Ok(id)
    }

    async fn insert_follow_up(
        &mut self,
        interaction: i64,
        action: &str,
        owner: Option<i64>,
        due: Option<String>,
        done: bool,
    ) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO follow_up (interaction_id, action, owner_id, due_on, done) \
                 VALUES ($1, $2, $3, $4, $5)",
                interaction,
                action,
                owner,
                due,
                done
            ))
            .await?;
        Ok(())
    }
}
