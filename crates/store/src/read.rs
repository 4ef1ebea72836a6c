//! Reads. Every query takes the viewer and filters on record audience in
//! SQL, so a record the viewer may not see is never loaded; field audiences
//! are then applied with the domain's [`Redact`] policy.

use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::place::{Headline, RecordRef};
use placeweave_domain::visibility::Redact;
use placeweave_domain::vocabulary::{Hardness, OrganisationKind, Reach, Scope, SizeBand};
use placeweave_domain::{
    Audience, Commitment, Initiative, Lever, LeverUse, Mission, Organisation, OrganisationFilter,
    OutcomeTheme, PageRequest, Participant, Place, Role, Viewer,
};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Count, Sql, sql, visible};

fn rank(viewer: Viewer) -> i64 {
    match viewer.widest_readable() {
        Audience::Public => 0,
        Audience::Partners => 1,
        Audience::Staff => 2,
        Audience::Restricted => 3,
    }
}

fn term<T>(column: &'static str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt {
        column,
        value: value.to_owned(),
    })
}

fn optional_term<T>(
    column: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    value.map(|v| term(column, v, parse)).transpose()
}

fn audience(value: &str) -> Result<Audience> {
    term("audience", value, Audience::parse)
}

#[derive(FromRow)]
struct PlaceRow {
    id: i64,
    slug: String,
    name: String,
    convening_organisation: String,
    description: Option<String>,
    synthetic: bool,
    audience: String,
}

#[derive(FromRow)]
struct RefRow {
    slug: String,
    name: String,
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
struct OrganisationRow {
    id: i64,
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
struct TextRow {
    value: String,
}

#[derive(FromRow)]
struct LeverRow {
    lever: String,
    hardness: Option<String>,
    reach: Option<String>,
    detail: Option<String>,
}

#[derive(FromRow)]
struct ThemeRow {
    slug: String,
    name: String,
    description: Option<String>,
    is_core: bool,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct MissionRow {
    id: i64,
    slug: String,
    short_name: String,
    statement: String,
    target_year: Option<i32>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct RoleRow {
    slug: String,
    name: String,
    description: String,
    ask_of_partner: String,
    value_for_place: String,
    value_for_partner: String,
    contact: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct InitiativeRow {
    id: i64,
    slug: String,
    name: String,
    description: Option<String>,
    website: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct InitiativeSummaryRow {
    slug: String,
    name: String,
    description: Option<String>,
    participant_count: i64,
}

#[derive(FromRow)]
struct ParticipantRow {
    slug: String,
    name: String,
    role: Option<String>,
}

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
    start_date: Option<String>,
    end_date: Option<String>,
    note: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

/// A place as loaded, with its database id for scoping further reads.
#[derive(Debug, Clone)]
pub struct PlaceRecord {
    pub key: i64,
    pub place: Place,
}

/// Which commitments to list.
#[derive(Debug, Clone, Default)]
pub struct CommitmentFilter {
    /// One commitment, by id.
    pub id: Option<i64>,
    pub organisation: Option<String>,
    pub mission: Option<String>,
    pub role: Option<String>,
}

fn place_from(row: PlaceRow) -> Result<PlaceRecord> {
    Ok(PlaceRecord {
        key: row.id,
        place: Place {
            id: row.slug,
            name: row.name,
            convening_organisation: row.convening_organisation,
            description: row.description,
            synthetic: row.synthetic,
            audience: audience(&row.audience)?,
        },
    })
}

const PLACE_COLUMNS: &str =
    "SELECT id, slug, name, convening_organisation, description, synthetic, audience FROM place p";

impl Store {
    pub async fn places(&self, viewer: Viewer) -> Result<Vec<PlaceRecord>> {
        let mut sql = Sql::new(PLACE_COLUMNS);
        let r = sql.arg(rank(viewer));
        sql.push(&format!(" WHERE {} ORDER BY name, id", visible("p", &r)));
        self.exec()
            .all::<PlaceRow>(sql)
            .await?
            .into_iter()
            .map(place_from)
            .collect()
    }

    pub async fn place(&self, slug: &str, viewer: Viewer) -> Result<Option<PlaceRecord>> {
        let mut sql = Sql::new(PLACE_COLUMNS);
        let s = sql.arg(slug);
        let r = sql.arg(rank(viewer));
        sql.push(&format!(" WHERE p.slug = {s} AND {}", visible("p", &r)));
        self.exec()
            .optional::<PlaceRow>(sql)
            .await?
            .map(place_from)
            .transpose()
    }

    /// Organisations matching `filter`, one page of them, and how many match in all.
    pub async fn organisations(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &OrganisationFilter,
        page: PageRequest,
    ) -> Result<(Vec<OrganisationSummary>, i64)> {
        let mut sql = Sql::default();
        let condition = organisation_condition(&mut sql, place, viewer, filter);
        let count_sql = Sql {
            text: format!("SELECT COUNT(*) AS n FROM organisation o WHERE {condition}"),
            args: sql.args.clone(),
        };
        let total = self.exec().one::<Count>(count_sql).await?.n;
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.text = format!(
            "SELECT o.slug, o.name, o.kind, o.is_anchor, o.scope FROM organisation o \
             WHERE {condition} ORDER BY o.name, o.id LIMIT {limit} OFFSET {offset}"
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
        Ok((summaries, total))
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
                "SELECT lever, hardness, reach, detail FROM organisation_lever \
                 WHERE organisation_id = $1 ORDER BY lever",
                row.id
            ))
            .await?
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
        let organisation = Organisation {
            id: row.slug,
            name: row.name,
            kind: term("kind", &row.kind, OrganisationKind::parse)?,
            size_band: optional_term("size_band", row.size_band.as_deref(), SizeBand::parse)?,
            scope: optional_term("scope", row.scope.as_deref(), Scope::parse)?,
            wards: wards.into_iter().map(|w| w.value).collect(),
            identifiers: identifiers.into_iter().map(|w| w.value).collect(),
            is_anchor: row.is_anchor,
            levers,
            description: row.description,
            website: row.website,
            internal_notes: row.internal_notes,
            audience: audience(&row.audience)?,
            version: row.version,
        };
        Ok(Some(organisation.redact_for(viewer)))
    }

    /// The wards organisations in the place work in, for the directory's filter.
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

    pub async fn outcome_themes(&self, place: i64, viewer: Viewer) -> Result<Vec<OutcomeTheme>> {
        self.theme_rows(place, None, viewer).await
    }

    pub async fn outcome_theme(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<OutcomeTheme>> {
        Ok(self
            .theme_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    async fn theme_rows(
        &self,
        place: i64,
        slug: Option<&str>,
        viewer: Viewer,
    ) -> Result<Vec<OutcomeTheme>> {
        let mut sql = sql!(
            format!(
                "SELECT slug, name, description, is_core, audience, version FROM outcome_theme t \
                 WHERE t.place_id = $1 AND {}",
                visible("t", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND t.slug = {s}"));
        }
        sql.push(" ORDER BY t.position, t.name");
        self.exec()
            .all::<ThemeRow>(sql)
            .await?
            .into_iter()
            .map(|t| {
                Ok(OutcomeTheme {
                    id: t.slug,
                    name: t.name,
                    description: t.description,
                    is_core: t.is_core,
                    audience: audience(&t.audience)?,
                    version: t.version,
                })
            })
            .collect()
    }

    async fn mission_rows(
        &self,
        place: i64,
        slug: Option<&str>,
        viewer: Viewer,
    ) -> Result<Vec<Mission>> {
        let mut sql = sql!(
            format!(
                "SELECT id, slug, short_name, statement, target_year, audience, version FROM mission m \
                 WHERE m.place_id = $1 AND {}",
                visible("m", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND m.slug = {s}"));
        }
        sql.push(" ORDER BY m.position, m.id");
        let rows = self.exec().all::<MissionRow>(sql).await?;
        let mut missions = Vec::with_capacity(rows.len());
        for row in rows {
            let themes = self
                .exec()
                .all::<RefRow>(sql!(
                    format!(
                        "SELECT t.slug, t.name FROM mission_theme mt \
                         JOIN outcome_theme t ON t.id = mt.outcome_theme_id \
                         WHERE mt.mission_id = $1 AND {} ORDER BY t.position, t.name",
                        visible("t", "$2")
                    ),
                    row.id,
                    rank(viewer)
                ))
                .await?;
            missions.push(Mission {
                id: row.slug,
                short_name: row.short_name,
                statement: row.statement,
                target_year: row.target_year,
                outcome_themes: themes.into_iter().map(RecordRef::from).collect(),
                audience: audience(&row.audience)?,
                version: row.version,
            });
        }
        Ok(missions)
    }

    pub async fn missions(&self, place: i64, viewer: Viewer) -> Result<Vec<Mission>> {
        self.mission_rows(place, None, viewer).await
    }

    pub async fn mission(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Mission>> {
        Ok(self
            .mission_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    async fn role_rows(&self, place: i64, slug: Option<&str>, viewer: Viewer) -> Result<Vec<Role>> {
        let mut sql = sql!(
            format!(
                "SELECT slug, name, description, ask_of_partner, value_for_place, value_for_partner, \
                 contact, audience, version FROM role r WHERE r.place_id = $1 AND {}",
                visible("r", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND r.slug = {s}"));
        }
        sql.push(" ORDER BY r.position, r.id");
        self.exec()
            .all::<RoleRow>(sql)
            .await?
            .into_iter()
            .map(|r| {
                Ok(Role {
                    id: r.slug,
                    name: r.name,
                    description: r.description,
                    ask_of_partner: r.ask_of_partner,
                    value_for_place: r.value_for_place,
                    value_for_partner: r.value_for_partner,
                    contact: r.contact,
                    audience: audience(&r.audience)?,
                    version: r.version,
                })
            })
            .collect()
    }

    pub async fn roles(&self, place: i64, viewer: Viewer) -> Result<Vec<Role>> {
        self.role_rows(place, None, viewer).await
    }

    pub async fn role(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Role>> {
        Ok(self
            .role_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    pub async fn commitments(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &CommitmentFilter,
    ) -> Result<Vec<Commitment>> {
        let mut sql = sql!(
            format!(
                "SELECT c.id, o.slug AS organisation_slug, o.name AS organisation_name, \
                 r.slug AS role_slug, r.name AS role_name, m.slug AS mission_slug, \
                 m.short_name AS mission_name, c.status, c.start_date, c.end_date, c.note, \
                 c.demonstration, c.audience, c.version \
                 FROM commitment c JOIN organisation o ON o.id = c.organisation_id \
                 LEFT JOIN role r ON r.id = c.role_id AND {role_visible} \
                 LEFT JOIN mission m ON m.id = c.mission_id AND {mission_visible} \
                 WHERE c.place_id = $1 AND {c_visible} AND {o_visible}",
                role_visible = visible("r", "$2"),
                mission_visible = visible("m", "$2"),
                c_visible = visible("c", "$2"),
                o_visible = visible("o", "$2"),
            ),
            place,
            rank(viewer)
        );
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
        sql.push(" ORDER BY o.name, c.id");
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

    /// Initiatives, optionally only those serving a mission or with an organisation taking part.
    pub async fn initiatives(
        &self,
        place: i64,
        viewer: Viewer,
        mission: Option<&str>,
        organisation: Option<&str>,
    ) -> Result<Vec<InitiativeSummary>> {
        let mut sql = sql!(
            format!(
                "SELECT i.slug, i.name, i.description, \
                 (SELECT COUNT(*) FROM initiative_participant ip \
                  JOIN organisation o ON o.id = ip.organisation_id \
                  WHERE ip.initiative_id = i.id AND {o_visible}) AS participant_count \
                 FROM initiative i WHERE i.place_id = $1 AND {i_visible}",
                o_visible = visible("o", "$2"),
                i_visible = visible("i", "$2"),
            ),
            place,
            rank(viewer)
        );
        if let Some(mission) = mission {
            let p = sql.arg(mission);
            sql.push(&format!(
                " AND i.id IN (SELECT im.initiative_id FROM initiative_mission im \
                 JOIN mission m ON m.id = im.mission_id WHERE m.slug = {p} AND {})",
                visible("m", "$2")
            ));
        }
        if let Some(organisation) = organisation {
            let p = sql.arg(organisation);
            sql.push(&format!(
                " AND i.id IN (SELECT ip.initiative_id FROM initiative_participant ip \
                 JOIN organisation o ON o.id = ip.organisation_id WHERE o.slug = {p} AND {})",
                visible("o", "$2")
            ));
        }
        sql.push(" ORDER BY i.name, i.id");
        Ok(self
            .exec()
            .all::<InitiativeSummaryRow>(sql)
            .await?
            .into_iter()
            .map(|r| InitiativeSummary {
                id: r.slug,
                name: r.name,
                description: r.description,
                participant_count: r.participant_count,
            })
            .collect())
    }

    pub async fn initiative(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<Initiative>> {
        let sql = sql!(
            format!(
                "SELECT id, slug, name, description, website, audience, version FROM initiative i \
                 WHERE i.place_id = $1 AND i.slug = $2 AND {}",
                visible("i", "$3")
            ),
            place,
            slug,
            rank(viewer)
        );
        let Some(row) = self.exec().optional::<InitiativeRow>(sql).await? else {
            return Ok(None);
        };
        let missions = self
            .exec()
            .all::<RefRow>(sql!(
                format!(
                    "SELECT m.slug, m.short_name AS name FROM initiative_mission im \
                     JOIN mission m ON m.id = im.mission_id \
                     WHERE im.initiative_id = $1 AND {} ORDER BY m.position",
                    visible("m", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let participants = self
            .exec()
            .all::<ParticipantRow>(sql!(
                format!(
                    "SELECT o.slug, o.name, ip.role FROM initiative_participant ip \
                     JOIN organisation o ON o.id = ip.organisation_id \
                     WHERE ip.initiative_id = $1 AND {} ORDER BY o.name",
                    visible("o", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        Ok(Some(Initiative {
            id: row.slug,
            name: row.name,
            description: row.description,
            website: row.website,
            missions: missions.into_iter().map(RecordRef::from).collect(),
            participants: participants
                .into_iter()
                .map(|p| Participant {
                    organisation: RecordRef {
                        id: p.slug,
                        name: p.name,
                    },
                    role: p.role,
                })
                .collect(),
            audience: audience(&row.audience)?,
            version: row.version,
        }))
    }

    pub async fn headline(&self, place: i64, viewer: Viewer) -> Result<Headline> {
        let count = |table: &str, extra: &str| {
            sql!(
                format!(
                    "SELECT COUNT(*) AS n FROM {table} x WHERE x.place_id = $1 AND {}{extra}",
                    visible("x", "$2")
                ),
                place,
                rank(viewer)
            )
        };
        Ok(Headline {
            organisations: self.exec().one::<Count>(count("organisation", "")).await?.n,
            anchor_institutions: self
                .exec()
                .one::<Count>(count("organisation", " AND x.is_anchor = TRUE"))
                .await?
                .n,
            missions: self.exec().one::<Count>(count("mission", "")).await?.n,
            roles: self.exec().one::<Count>(count("role", "")).await?.n,
            commitments: self.exec().one::<Count>(count("commitment", "")).await?.n,
            initiatives: self.exec().one::<Count>(count("initiative", "")).await?.n,
        })
    }
}

/// The WHERE condition for an organisations filter, binding its arguments into `sql`.
fn organisation_condition(
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
    if let Some(words) = &filter.name_contains {
        let pattern = format!("%{}%", escape_like(&words.to_lowercase()));
        let q = sql.arg(pattern);
        condition.push_str(&format!(" AND LOWER(o.name) LIKE {q} ESCAPE '\\'"));
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

/// Escapes LIKE wildcards so a search for "100%" means the text "100%".
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
