//! Organisations: the partners. Reads filter on audience in SQL and then
//! redact fields narrower than the viewer may read; writes carry their audit
//! line and touch only what the writer may set.

use placeweave_domain::filter::Facets;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::search::SearchKind;
use placeweave_domain::visibility::Redact;
use placeweave_domain::vocabulary::{Hardness, OrganisationKind, Reach, Scope, SizeBand};
use placeweave_domain::{Lever, LeverUse, Organisation, OrganisationFilter, PageRequest, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::record::{
    Assignments, TextRow, Write, audience, audit_change, optional_term, rank, resolve, term,
    versioned,
};
use crate::search::Records;
use crate::sql::{Count, Id, Sql, Value, sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
pub(crate) struct OrganisationRow {
    pub(crate) id: i64,
    slug: String,
    name: String,
    kind: String,
    size_band: Option<String>,
    scope: Option<String>,
    is_anchor: bool,
    description: Option<String>,
    website: Option<String>,
    internal_notes: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct SummaryRow {
    slug: String,
    name: String,
    kind: String,
    is_anchor: bool,
    scope: Option<String>,
}

#[derive(FromRow)]
pub(crate) struct LeverRow {
    pub(crate) organisation_id: i64,
    lever: String,
    hardness: Option<String>,
    reach: Option<String>,
    detail: Option<String>,
}

#[derive(FromRow)]
struct IdSlug {
    id: i64,
    slug: String,
}

/// Which of an organisation's lists to write.
#[derive(Debug, Clone, Copy)]
struct Details {
    wards: bool,
    identifiers: bool,
    levers: bool,
}

impl Details {
    const ALL: Details = Details {
        wards: true,
        identifiers: true,
        levers: true,
    };
}

impl Store {
    /// How many organisations the viewer may see match `filter`.
    pub async fn organisation_count(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &OrganisationFilter,
    ) -> Result<i64> {
        let mut sql = Sql::default();
        let condition = organisation_condition(self, &mut sql, place, viewer, filter);
        sql.text = format!("SELECT COUNT(*) AS n FROM organisation o WHERE {condition}");
        Ok(self.exec().one::<Count>(sql).await?.n)
    }

    /// One page of the organisations matching `filter`, in name order:
    /// after the organisation `filter.after` names (keyset: as fast deep in
    /// the list as at its start), or else at the page's offset. An `after`
    /// the viewer cannot see answers as one that does not exist.
    pub async fn organisations(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &OrganisationFilter,
        page: PageRequest,
    ) -> Result<Vec<OrganisationSummary>> {
        let mut sql = Sql::default();
        let mut condition = organisation_condition(self, &mut sql, place, viewer, filter);
        let position = match &filter.after {
            Some(after) => {
                let mark = self
                    .exec()
                    .optional::<Mark>(sql!(
                        format!(
                            "SELECT o.name, o.id FROM organisation o \
                             WHERE o.place_id = $1 AND o.slug = $2 AND {}",
                            visible("o", "$3")
                        ),
                        place,
                        after.as_str(),
                        rank(viewer)
                    ))
                    .await?
                    .ok_or_else(|| StoreError::UnknownReference {
                        field: "after",
                        id: after.clone(),
                    })?;
                let name = sql.arg(mark.name);
                let id = sql.arg(mark.id);
                // `o.name >= …` on its own lets both planners walk the
                // name index from the mark instead of filtering every row.
                condition.push_str(&format!(
                    " AND o.name >= {name} AND (o.name > {name} OR o.id > {id})"
                ));
                String::new()
            }
            None => format!(" OFFSET {}", sql.arg(page.offset())),
        };
        let limit = sql.arg(page.limit());
        sql.text = format!(
            "SELECT o.slug, o.name, o.kind, o.is_anchor, o.scope FROM organisation o \
             WHERE {condition} ORDER BY o.name, o.id LIMIT {limit}{position}"
        );
        let rows = self.exec().all::<SummaryRow>(sql).await?;
        let summaries = rows
            .into_iter()
            .map(|r| {
                Ok(OrganisationSummary {
                    id: r.slug,
                    name: r.name,
                    kind: term("kind", &r.kind, OrganisationKind::parse)?,
                    is_anchor: r.is_anchor,
                    scope: optional_term("scope", r.scope.as_deref(), Scope::parse)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(summaries)
    }

    pub async fn organisation(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<Organisation>> {
        let r = rank(viewer);
        let sql = sql!(
            format!(
                "SELECT id, slug, name, kind, size_band, scope, is_anchor, description, website, \
                 internal_notes, audience, version FROM organisation o \
                 WHERE o.place_id = $1 AND o.slug = $2 AND {}",
                visible("o", "$3")
            ),
            place,
            slug,
            r
        );
        let Some(row) = self.exec().optional::<OrganisationRow>(sql).await? else {
            return Ok(None);
        };
        let wards = self
            .exec()
            .all::<TextRow>(sql!(
                "SELECT ward AS value FROM organisation_ward WHERE organisation_id = $1 ORDER BY ward",
                row.id
            ))
            .await?;
        let identifiers = self
            .exec()
            .all::<TextRow>(sql!(
                "SELECT identifier AS value FROM organisation_identifier \
                 WHERE organisation_id = $1 ORDER BY identifier",
                row.id
            ))
            .await?;
        let levers = self
            .exec()
            .all::<LeverRow>(sql!(
                "SELECT organisation_id, lever, hardness, reach, detail FROM organisation_lever \
                 WHERE organisation_id = $1 ORDER BY lever",
                row.id
            ))
            .await?;
        let organisation = organisation_from(
            row,
            wards.into_iter().map(|w| w.value).collect(),
            identifiers.into_iter().map(|w| w.value).collect(),
            levers,
        )?;
        Ok(Some(organisation.redact_for(viewer)))
    }

    /// The wards organisations in the place work in, for the directory's filter.
    /// The directory's option counts for `filter`: each facet counted with
    /// every other filter in force and its own left out, in four grouped
    /// queries over the indexed link tables.
    pub async fn facets(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &OrganisationFilter,
    ) -> Result<Facets> {
        let grouped = |select: &str, from: &str, without: OrganisationFilter| {
            let mut sql = Sql::default();
            let condition = organisation_condition(self, &mut sql, place, viewer, &without);
            sql.text = format!(
                "SELECT {select} AS value, COUNT(DISTINCT o.id) AS n FROM {from} \
                 WHERE {condition} GROUP BY {select} ORDER BY {select}"
            );
            sql
        };
        let kinds = grouped(
            "o.kind",
            "organisation o",
            OrganisationFilter {
                kind: None,
                ..filter.clone()
            },
        );
        let levers = grouped(
            "l.lever",
            "organisation o JOIN organisation_lever l ON l.organisation_id = o.id",
            OrganisationFilter {
                lever: None,
                ..filter.clone()
            },
        );
        let wards = grouped(
            "w.ward",
            "organisation o JOIN organisation_ward w ON w.organisation_id = o.id",
            OrganisationFilter {
                ward: None,
                ..filter.clone()
            },
        );
        let mut missions = grouped(
            "m.slug",
            "organisation o JOIN (SELECT c.organisation_id, c.mission_id FROM commitment c \
               WHERE {cv} UNION SELECT ip.organisation_id, im.mission_id \
               FROM initiative_participant ip JOIN initiative i ON i.id = ip.initiative_id \
               JOIN initiative_mission im ON im.initiative_id = i.id WHERE {iv}) x \
               ON x.organisation_id = o.id JOIN mission m ON m.id = x.mission_id AND {mv}",
            OrganisationFilter {
                mission: None,
                ..filter.clone()
            },
        );
        // The mission facet's own visibility conditions take the viewer's rank.
        let r = missions.arg(rank(viewer));
        missions.text = missions
            .text
            .replace("{cv}", &visible("c", &r))
            .replace("{iv}", &visible("i", &r))
            .replace("{mv}", &visible("m", &r));
        let counts = |rows: Vec<FacetRow>| rows.into_iter().map(|r| (r.value, r.n));
        let mut facets = Facets::default();
        for (value, n) in counts(self.exec().all::<FacetRow>(kinds).await?) {
            facets
                .kinds
                .push((term("kind", &value, OrganisationKind::parse)?, n));
        }
        for (value, n) in counts(self.exec().all::<FacetRow>(levers).await?) {
            facets
                .levers
                .push((term("lever", &value, Lever::parse)?, n));
        }
        facets.wards = counts(self.exec().all::<FacetRow>(wards).await?).collect();
        facets.missions = counts(self.exec().all::<FacetRow>(missions).await?).collect();
        Ok(facets)
    }

    pub async fn wards(&self, place: i64, viewer: Viewer) -> Result<Vec<String>> {
        let sql = sql!(
            format!(
                "SELECT DISTINCT w.ward AS value FROM organisation_ward w \
                 JOIN organisation o ON o.id = w.organisation_id \
                 WHERE o.place_id = $1 AND {} ORDER BY w.ward",
                visible("o", "$2")
            ),
            place,
            rank(viewer)
        );
        Ok(self
            .exec()
            .all::<TextRow>(sql)
            .await?
            .into_iter()
            .map(|r| r.value)
            .collect())
    }

    pub async fn create_organisation(
        &self,
        w: &Write<'_>,
        organisation: &Organisation,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.insert_organisations(w.place, std::slice::from_ref(organisation))
            .await?;
        let audited = audit_change(
            &mut tx,
            w,
            "organisation",
            organisation.id.clone(),
            None,
            organisation,
        )
        .await?;
        tx.commit(audited).await
    }

    /// Writes `after` over the organisation `before` (both as the writer
    /// sees them), if it is still at `after.version`; fields the writer may
    /// not set are left as stored.
    pub async fn update_organisation(
        &self,
        w: &Write<'_>,
        before: &Organisation,
        after: &Organisation,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "organisation", "organisation", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("name", "name", after.name.as_str())
            .set("kind", "kind", after.kind.slug())
            .set("size_band", "size_band", after.size_band.map(|s| s.slug()))
            .set("scope", "scope", after.scope.map(|s| s.slug()))
            .set("is_anchor", "is_anchor", after.is_anchor)
            .set("description", "description", after.description.clone())
            .set("website", "website", after.website.clone())
            .set(
                "internal_notes",
                "internal_notes",
                after.internal_notes.clone(),
            )
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "organisation", id, after.version, set).await?;
        let details = Details {
            wards: w.may_set("wards"),
            identifiers: w.may_set("identifiers"),
            levers: w.may_set("levers"),
        };
        for (table, replace) in [
            ("organisation_ward", details.wards),
            ("organisation_identifier", details.identifiers),
            ("organisation_lever", details.levers),
        ] {
            if replace {
                tx.exec()
                    .execute(sql!(
                        format!("DELETE FROM {table} WHERE organisation_id = $1"),
                        id
                    ))
                    .await?;
            }
        }
        tx.insert_organisation_details(&[(after, id)], details)
            .await?;
        let audited = audit_change(
            &mut tx,
            w,
            "organisation",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    /// Inserts organisations with their wards, identifiers and levers;
    /// returns their ids in the order given.
    pub async fn insert_organisations(
        &mut self,
        place_id: i64,
        organisations: &[Organisation],
    ) -> Result<Vec<i64>> {
        let now = crate::record::unix_now();
        let rows = organisations
            .iter()
            .map(|o| {
                vec![
                    Value::from(place_id),
                    Value::from(o.id.as_str()),
                    Value::from(o.name.as_str()),
                    Value::from(o.kind.slug()),
                    Value::from(o.size_band.map(|s| s.slug())),
                    Value::from(o.scope.map(|s| s.slug())),
                    Value::from(o.is_anchor),
                    Value::from(o.description.clone()),
                    Value::from(o.website.clone()),
                    Value::from(o.internal_notes.clone()),
                    Value::from(o.audience.as_str()),
                    Value::from(now),
                ]
            })
            .collect();
        let inserted: Vec<IdSlug> = self
            .insert_rows(
                "organisation",
                &[
                    "place_id",
                    "slug",
                    "name",
                    "kind",
                    "size_band",
                    "scope",
                    "is_anchor",
                    "description",
                    "website",
                    "internal_notes",
                    "audience",
                    "updated_at",
                ],
                rows,
                Some("id, slug"),
            )
            .await
            .map_err(|e| duplicate(e, || "an organisation with the same id".to_owned()))?;
        // RETURNING order is not guaranteed, so match ids back by slug.
        let by_slug: std::collections::HashMap<&str, i64> =
            inserted.iter().map(|r| (r.slug.as_str(), r.id)).collect();
        let ids: Vec<i64> = organisations
            .iter()
            .map(|o| by_slug.get(o.id.as_str()).copied().unwrap_or_default())
            .collect();

        let pairs: Vec<(&Organisation, i64)> =
            organisations.iter().zip(ids.iter().copied()).collect();
        self.insert_organisation_details(&pairs, Details::ALL)
            .await?;
        if let (Some(first), Some(last)) = (ids.iter().min(), ids.iter().max()) {
            self.reindex(SearchKind::Organisation, Records::Ids(*first, *last))
                .await?;
        }
        Ok(ids)
    }

    /// Inserts organisations' wards, identifiers and levers, by database id.
    async fn insert_organisation_details(
        &mut self,
        organisations: &[(&Organisation, i64)],
        details: Details,
    ) -> Result<()> {
        let mut wards = Vec::new();
        let mut identifiers = Vec::new();
        let mut levers = Vec::new();
        for (o, id) in organisations {
            for ward in o.wards.iter().filter(|_| details.wards) {
                wards.push(vec![Value::from(*id), Value::from(ward.as_str())]);
            }
            for identifier in o.identifiers.iter().filter(|_| details.identifiers) {
                identifiers.push(vec![Value::from(*id), Value::from(identifier.as_str())]);
            }
            for l in o.levers.iter().filter(|_| details.levers) {
                levers.push(vec![
                    Value::from(*id),
                    Value::from(l.lever.slug()),
                    Value::from(l.hardness.map(|h| h.slug())),
                    Value::from(l.reach.map(|r| r.slug())),
                    Value::from(l.detail.clone()),
                ]);
            }
        }
        self.insert_rows::<Id>(
            "organisation_ward",
            &["organisation_id", "ward"],
            wards,
            None,
        )
        .await?;
        self.insert_rows::<Id>(
            "organisation_identifier",
            &["organisation_id", "identifier"],
            identifiers,
            None,
        )
        .await?;
        self.insert_rows::<Id>(
            "organisation_lever",
            &["organisation_id", "lever", "hardness", "reach", "detail"],
            levers,
            None,
        )
        .await?;
        Ok(())
    }
}

/// The WHERE condition for an organisations filter, binding its arguments into `sql`.
/// Where a keyset page starts: the last row of the page before.
#[derive(FromRow)]
struct Mark {
    name: String,
    id: i64,
}

#[derive(FromRow)]
struct FacetRow {
    value: String,
    n: i64,
}

/// An organisation from its row and its lists, as stored (not yet
/// redacted for a viewer).
pub(crate) fn organisation_from(
    row: OrganisationRow,
    wards: Vec<String>,
    identifiers: Vec<String>,
    levers: Vec<LeverRow>,
) -> Result<Organisation> {
    let levers = levers
        .into_iter()
        .map(|l| {
            Ok(LeverUse {
                lever: term("lever", &l.lever, Lever::parse)?,
                hardness: optional_term("hardness", l.hardness.as_deref(), Hardness::parse)?,
                reach: optional_term("reach", l.reach.as_deref(), Reach::parse)?,
                detail: l.detail,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Organisation {
        id: row.slug,
        name: row.name,
        kind: term("kind", &row.kind, OrganisationKind::parse)?,
        size_band: optional_term("size_band", row.size_band.as_deref(), SizeBand::parse)?,
        scope: optional_term("scope", row.scope.as_deref(), Scope::parse)?,
        wards,
        identifiers,
        is_anchor: row.is_anchor,
        levers,
        description: row.description,
        website: row.website,
        internal_notes: row.internal_notes,
        audience: audience(&row.audience)?,
        version: row.version,
    })
}

pub(crate) fn organisation_condition(
    store: &Store,
    sql: &mut Sql,
    place: i64,
    viewer: Viewer,
    filter: &OrganisationFilter,
) -> String {
    let p = sql.arg(place);
    let r = sql.arg(rank(viewer));
    let mut condition = format!("o.place_id = {p} AND {}", visible("o", &r));
    if let Some(kind) = filter.kind {
        let k = sql.arg(kind.slug());
        condition.push_str(&format!(" AND o.kind = {k}"));
    }
    if let Some(lever) = filter.lever {
        let l = sql.arg(lever.slug());
        condition.push_str(&format!(
            " AND o.id IN (SELECT organisation_id FROM organisation_lever WHERE lever = {l})"
        ));
    }
    if filter.anchors_only {
        condition.push_str(" AND o.is_anchor = TRUE");
    }
    if let Some(ward) = &filter.ward {
        let w = sql.arg(ward.as_str());
        condition.push_str(&format!(
            " AND o.id IN (SELECT organisation_id FROM organisation_ward WHERE ward = {w})"
        ));
    }
    if let Some(text) = &filter.name_contains {
        let words = placeweave_domain::search::words(text);
        if words.is_empty() {
            // Nothing searchable (only punctuation): no name matches.
            condition.push_str(" AND 1 = 0");
        } else {
            condition.push_str(&format!(
                " AND {}",
                crate::search::named(store, sql, "o", &words)
            ));
        }
    }
    if let Some(mission) = &filter.mission {
        let m = sql.arg(mission.as_str());
        condition.push_str(&format!(
            " AND o.id IN (\
               SELECT c.organisation_id FROM commitment c JOIN mission m ON m.id = c.mission_id \
               WHERE m.slug = {m} AND m.place_id = {p} AND {cv} AND {mv} \
             UNION \
               SELECT ip.organisation_id FROM initiative_participant ip \
               JOIN initiative i ON i.id = ip.initiative_id \
               JOIN initiative_mission im ON im.initiative_id = i.id \
               JOIN mission m ON m.id = im.mission_id \
               WHERE m.slug = {m} AND m.place_id = {p} AND {iv} AND {mv})",
            cv = visible("c", &r),
            mv = visible("m", &r),
            iv = visible("i", &r),
        ));
    }
    condition
}
