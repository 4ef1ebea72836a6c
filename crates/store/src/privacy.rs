//! Contacts (personal data), the append-only audit log, subject access,
//! erasure and retention.

use placeweave_domain::account::{Account, AuditEntry};
use placeweave_domain::contact::{Contact, LawfulBasis, PersonData, Retention, TookPart};
use placeweave_domain::interaction::InteractionKind;
use placeweave_domain::place::RecordRef;
use placeweave_domain::search::SearchKind;
use placeweave_domain::{Audience, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::search::Records;
use crate::sql::{Id, Sql, sql};
use crate::write::Tx;

/// A new contact, by organisation slug.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub organisation: String,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lawful_basis: LawfulBasis,
    pub retention: Retention,
    pub owner: Option<i64>,
}

/// A line to append to the audit log.
#[derive(Debug, Clone)]
pub struct AuditLine<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: Option<String>,
    pub detail: Option<String>,
}

/// What to look for in the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor_email: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub action: Option<String>,
    pub limit: i64,
}

#[derive(FromRow)]
struct ContactRow {
    id: i64,
    organisation_slug: String,
    organisation_name: String,
    name: String,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    lawful_basis: String,
    retention: String,
    retain_until: i64,
    owner_account_id: Option<i64>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_account_id: Option<i64>,
    actor_email: Option<String>,
    action: String,
    record_type: String,
    record_id: Option<String>,
    detail: Option<String>,
}

const CONTACT_COLUMNS: &str = "SELECT c.id, o.slug AS organisation_slug, o.name AS organisation_name, \
     c.name, c.job_title, c.email, c.phone, c.lawful_basis, c.retention, c.retain_until, \
     c.owner_account_id, c.audience, c.version \
     FROM contact c JOIN organisation o ON o.id = c.organisation_id";

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
    }
}

fn contact_from(row: ContactRow) -> Result<Contact> {
    Ok(Contact {
        id: row.id,
        organisation: RecordRef {
            id: row.organisation_slug,
            name: row.organisation_name,
        },
        name: row.name,
        job_title: row.job_title,
        email: row.email,
        phone: row.phone,
        lawful_basis: LawfulBasis::parse(&row.lawful_basis)
            .ok_or_else(|| corrupt("contact.lawful_basis", &row.lawful_basis))?,
        retention: Retention::parse(&row.retention)
            .ok_or_else(|| corrupt("contact.retention", &row.retention))?,
        retain_until: row.retain_until,
        owner: row.owner_account_id,
        audience: Audience::parse(&row.audience)
            .ok_or_else(|| corrupt("contact.audience", &row.audience))?,
        version: row.version,
    })
}

fn audit_from(row: AuditRow) -> AuditEntry {
    AuditEntry {
        id: row.id,
        at: row.at,
        actor: row.actor_account_id,
        actor_email: row.actor_email,
        action: row.action,
        record_type: row.record_type,
        record_id: row.record_id,
        detail: row.detail,
    }
}

/// Contacts are never public whatever their row says: the policy's rule,
/// applied again in SQL so that no query path can skip it.
pub(crate) fn contact_visible(viewer: Viewer) -> Option<&'static str> {
    match viewer {
        Viewer::Public | Viewer::Partner => None,
        Viewer::Staff => Some("c.audience = 'staff'"),
        Viewer::Admin => Some("c.audience IN ('staff', 'restricted')"),
    }
}

impl Tx {
    /// Writes an audit line; the proof it returns lets the transaction commit.
    /// Writes the audit line of this transaction's change and moves the
    /// data version on (see migration 20: the row's lock orders writers).
    pub async fn audit(&mut self, line: &AuditLine<'_>, now: i64) -> Result<crate::write::Audited> {
        self.exec().execute(audit_sql(line, now)).await?;
        self.exec()
            .execute(sql!(
                "INSERT INTO data_version (id, version) VALUES (1, 1) \
                 ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1"
            ))
            .await?;
        Ok(crate::write::Audited::new())
    }

    pub async fn insert_contact(
        &mut self,
        place: i64,
        contact: &NewContact,
        now: i64,
    ) -> Result<i64> {
        let organisation = self
            .exec()
            .optional::<Id>(sql!(
                "SELECT id FROM organisation WHERE place_id = $1 AND slug = $2",
                place,
                contact.organisation.as_str()
            ))
            .await?
            .ok_or_else(|| {
                StoreError::Missing(format!("organisation \"{}\"", contact.organisation))
            })?
            .id;
        let sql = sql!(
            "INSERT INTO contact (place_id, organisation_id, name, job_title, email, phone, lawful_basis, \
             retention, retain_until, owner_account_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            place,
            organisation,
            contact.name.as_str(),
            contact.job_title.clone(),
            contact.email.clone(),
            contact.phone.clone(),
            contact.lawful_basis.slug(),
            contact.retention.slug(),
            now + contact.retention.period_seconds(),
            contact.owner,
        );
        let id = self.exec().one::<Id>(sql).await?.id;
        self.reindex(SearchKind::Contact, Records::Ids(id, id))
            .await?;
        Ok(id)
    }
}

fn audit_sql(line: &AuditLine<'_>, now: i64) -> Sql {
    sql!(
        "INSERT INTO audit_event (at, actor_account_id, action, record_type, record_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        now,
        line.actor,
        line.action,
        line.record_type,
        line.record_id.clone(),
        line.detail.clone(),
    )
}

impl Store {
    /// Appends to the audit log outside any other write (views and exports).
    pub async fn audit(&self, line: &AuditLine<'_>, now: i64) -> Result<()> {
        self.exec().execute(audit_sql(line, now)).await?;
        Ok(())
    }

    /// The data version: every committed change to a record writes an audit
    /// line in its transaction, which moves it on (one row, migration 20),
    /// so it changes whenever any record may have. Views and exports
    /// (audited here, outside a write) change no record and leave it.
    pub async fn data_version(&self) -> Result<i64> {
        Ok(self
            .exec()
            .one::<crate::sql::Count>(sql!(
                "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS n FROM data_version"
            ))
            .await?
            .n)
    }

    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            "SELECT e.id, e.at, e.actor_account_id, a.email AS actor_email, e.action, e.record_type, \
             e.record_id, e.detail FROM audit_event e LEFT JOIN account a ON a.id = e.actor_account_id \
             WHERE 1 = 1",
        );
        for (column, value) in [
            ("a.email", &query.actor_email),
            ("e.record_type", &query.record_type),
            ("e.record_id", &query.record_id),
            ("e.action", &query.action),
        ] {
            if let Some(value) = value {
                let p = sql.arg(value.as_str());
                sql.push(&format!(" AND {column} = {p}"));
            }
        }
        let limit = sql.arg(query.limit.clamp(1, 1000));
        sql.push(&format!(" ORDER BY e.id DESC LIMIT {limit}"));
        Ok(self
            .exec()
            .all::<AuditRow>(sql)
            .await?
            .into_iter()
            .map(audit_from)
            .collect())
    }

    /// An organisation's contacts, for a viewer who may see contacts at all.
    pub async fn contacts(
        &self,
        place: i64,
        organisation: &str,
        viewer: Viewer,
    ) -> Result<Vec<Contact>> {
        let Some(visible) = contact_visible(viewer) else {
            return Ok(vec![]);
        };
        let sql = sql!(
            format!(
                "{CONTACT_COLUMNS} WHERE c.place_id = $1 AND o.slug = $2 AND {visible} ORDER BY c.name, c.id"
            ),
            place,
            organisation
        );
        self.exec()
            .all::<ContactRow>(sql)
            .await?
            .into_iter()
            .map(contact_from)
            .collect()
    }

    /// Everything held about the person with this email address.
    pub async fn person(&self, email: &str) -> Result<PersonData> {
        let contacts = self
            .exec()
            .all::<ContactRow>(sql!(
                format!("{CONTACT_COLUMNS} WHERE c.email = $1 ORDER BY c.id"),
                email
            ))
            .await?
            .into_iter()
            .map(contact_from)
            .collect::<Result<Vec<_>>>()?;
        let accounts: Vec<Account> = self
            .account_by_email(email)
            .await?
            .map(|c| c.account)
            .into_iter()
            .collect();
        let mut audit = Vec::new();
        let mut password_reset_requested_at = None;
        for account in &accounts {
            audit.extend(
                self.audit_events(&AuditQuery {
                    actor_email: Some(account.email.clone()),
                    limit: 1000,
                    ..Default::default()
                })
                .await?,
            );
            audit.extend(
                self.audit_events(&AuditQuery {
                    record_type: Some("account".into()),
                    record_id: Some(account.id.to_string()),
                    limit: 1000,
                    ..Default::default()
                })
                .await?,
            );
            password_reset_requested_at = password_reset_requested_at.or(self
                .password_reset_requests()
                .await?
                .into_iter()
                .find(|r| r.account_id == account.id)
                .map(|r| r.requested_at));
        }
        audit.sort_by_key(|entry| entry.id);
        audit.dedup_by_key(|entry| entry.id);
        let enquiries = self.enquiries_by_email(email).await?;
        let interactions = self.took_part(email).await?;
        Ok(PersonData {
            email: email.to_owned(),
            accounts,
            contacts,
            enquiries,
            interactions,
            audit,
            password_reset_requested_at,
        })
    }

    /// The interactions the contact records with this email took part in,
    /// oldest first.
    async fn took_part(&self, email: &str) -> Result<Vec<TookPart>> {
        #[derive(FromRow)]
        struct Row {
            contact: i64,
            interaction: i64,
            occurred_on: String,
            kind: String,
            organisation: String,
        }
        let rows = self
            .exec()
            .all::<Row>(sql!(
                "SELECT ic.contact_id AS contact, i.id AS interaction, i.occurred_on, i.kind, \
                 o.name AS organisation FROM interaction_contact ic \
                 JOIN contact c ON c.id = ic.contact_id \
                 JOIN interaction i ON i.id = ic.interaction_id \
                 JOIN organisation o ON o.id = i.organisation_id \
                 WHERE c.email = $1 ORDER BY i.occurred_on, i.id",
                email
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(TookPart {
                    contact: r.contact,
                    interaction: r.interaction,
                    date: r.occurred_on,
                    kind: crate::record::term("kind", &r.kind, InteractionKind::parse)?,
                    organisation: r.organisation,
                })
            })
            .collect()
    }

    /// Erases a person: their contact records, account and failed sign-ins,
    /// overwritten on disk (SQLite `secure_delete`, WAL checkpointed and
    /// truncated). The audit log keeps only that an erasure happened, by
    /// whom, and how many records went. Returns the number of contacts and accounts erased.
    pub async fn erase_person(&self, email: &str, actor: Option<i64>, now: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let contacts = tx
            .exec()
            .execute(sql!("DELETE FROM contact WHERE email = $1", email))
            .await?;
        let enquiries = tx
            .exec()
            .execute(sql!("DELETE FROM enquiry WHERE email = $1", email))
            .await?;
        let accounts = tx
            .exec()
            .execute(sql!("DELETE FROM account WHERE email = $1", email))
            .await?;
        // The throttle keeps the email of every failed sign-in for a day.
        let attempts = tx
            .exec()
            .execute(sql!("DELETE FROM sign_in_failure WHERE email = $1", email))
            .await?;
        let erased = contacts + enquiries + accounts;
        let audited = tx
            .audit(
                &AuditLine {
                    actor,
                    action: "erase-person",
                    record_type: "person",
                    record_id: None,
                    detail: Some(format!(
                        "{{\"records_erased\":{erased},\"sign_in_failures_erased\":{attempts}}}"
                    )),
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        self.scrub().await?;
        Ok(erased)
    }

    /// Deletes contacts and enquiries past their retention date, and the
    /// enquiry rate limit's day-old bookkeeping; returns how many records went.
    pub async fn apply_retention(&self, now: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let contacts = tx
            .exec()
            .execute(sql!("DELETE FROM contact WHERE retain_until < $1", now))
            .await?;
        let enquiries = crate::enquiry::expire(&mut tx, now, now - 24 * 60 * 60).await?;
        let removed = contacts + enquiries;
        if removed > 0 {
            let audited = tx
                .audit(
                    &AuditLine {
                        actor: None,
                        action: "retention-delete",
                        record_type: "contact",
                        record_id: None,
                        detail: Some(format!(
                            "{{\"records_deleted\":{removed},\"enquiries_deleted\":{enquiries}}}"
                        )),
                    },
                    now,
                )
                .await?;
            tx.commit(audited).await?;
        } else {
            tx.commit_unaudited().await?;
        }
        if removed > 0 {
            self.scrub().await?;
        }
        Ok(removed)
    }

    /// Makes deleted rows unrecoverable from the database files.
    async fn scrub(&self) -> Result<()> {
        match self {
            // secure_delete is on for every connection; the checkpoint moves
            // the zeroed pages into the main file and empties the WAL, which
            // still held the old page images.
            Store::Sqlite(_) => {
                self.exec()
                    .execute(Sql::new("PRAGMA wal_checkpoint(TRUNCATE)"))
                    .await?;
            }
            // VACUUM FULL rewrites the tables into new files without the dead rows.
            Store::Postgres(_) => {
                self.exec().execute(Sql::new("VACUUM FULL contact")).await?;
                self.exec().execute(Sql::new("VACUUM FULL account")).await?;
                self.exec()
                    .execute(Sql::new("VACUUM FULL sign_in_failure"))
                    .await?;
                for statement in crate::enquiry::VACUUM {
                    self.exec().execute(Sql::new(*statement)).await?;
                }
            }
        }
        Ok(())
    }
}

impl Store {
    /// Adds a contact, with its audit line (personal fields masked), in one
    /// transaction; the organisation must be one the writer may see.
    pub async fn add_contact(&self, w: &crate::Write<'_>, contact: &NewContact) -> Result<i64> {
        let mut tx = self.begin().await?;
        crate::record::resolve(
            &mut tx,
            w,
            "organisation",
            "organisation",
            &contact.organisation,
        )
        .await?;
        let id = tx.insert_contact(w.place, contact, w.now).await?;
        let masked: Vec<String> = placeweave_domain::contact::PERSONAL_FIELDS
            .iter()
            .map(|f| format!("\"{f}\":\"***\""))
            .collect();
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "create",
                    record_type: "contact",
                    record_id: Some(id.to_string()),
                    detail: Some(format!(
                        "{{{},\"lawful_basis\":\"{}\",\"retention\":\"{}\"}}",
                        masked.join(","),
                        contact.lawful_basis.slug(),
                        contact.retention.slug()
                    )),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(id)
    }
}
