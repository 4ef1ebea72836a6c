//! Contributions: what a partner did for a mission, measured, and the
//! roll-ups that total them. Totals are computed in the database, grouped
//! by measure and unit as well as by what they are rolled up by, so unlike
//! units are never added together.

use placeweave_domain::contribution::{Contribution, ContributionTotal, Measure, RollUp, Unit};
use placeweave_domain::place::RecordRef;
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Audience, PageRequest, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{Assignments, Write, audience, audit_change, rank, resolve, term, versioned};
use crate::sql::{Count, Sql, Value, sql, visible};
use crate::write::Tx;

#[derive(FromRow)]
struct ContributionRow {
    id: i64,
    organisation_slug: String,
    organisation_name: String,
    mission_slug: String,
    mission_name: String,
    theme_slug: Option<String>,
    theme_name: Option<String>,
    measure: String,
    unit: String,
    quantity: i64,
    description: Option<String>,
    start_date: String,
    end_date: String,
    ward: Option<String>,
    evidence_url: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct TotalRow {
    grp: String,
    label: String,
    measure: String,
    unit: String,
    total: i64,
    contributions: i64,
}

/// Which contributions to list or total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContributionFilter {
    /// One contribution, by id.
    pub id: Option<i64>,
    /// Organisation slug.
    pub organisation: Option<String>,
    /// Mission slug.
    pub mission: Option<String>,
    /// Outcome theme slug.
    pub theme: Option<String>,
    pub ward: Option<String>,
    pub measure: Option<Measure>,
    /// The year the period ends in.
    pub year: Option<i32>,
}

/// A new contribution, by database ids, for the demo, generated places and
/// fixtures.
#[derive(Debug, Clone)]
pub struct NewContribution {
    pub organisation_id: i64,
    pub mission_id: i64,
    pub theme_id: Option<i64>,
    pub measure: Measure,
    pub unit: Unit,
    pub quantity: i64,
    pub description: Option<String>,
    pub start_date: String,
    pub end_date: String,
    pub ward: Option<String>,
    pub evidence_url: Option<String>,
    pub demonstration: bool,
    pub audience: Audience,
}

/// The database ids of a contribution's organisation, mission and theme,
/// each as the writer may see it.
async fn links(tx: &mut Tx, w: &Write<'_>, c: &Contribution) -> Result<(i64, i64, Option<i64>)> {
    let organisation = resolve(tx, w, "organisation", "organisation", &c.organisation.id).await?;
    let mission = resolve(tx, w, "mission", "mission", &c.mission.id).await?;
    let theme = match &c.theme {
        Some(t) => Some(resolve(tx, w, "outcome_theme", "theme", &t.id).await?),
        None => None,
    };
    Ok((organisation, mission, theme))
}

impl NewContribution {
    fn from(c: &Contribution, ids: (i64, i64, Option<i64>)) -> Self {
        NewContribution {
            organisation_id: ids.0,
            mission_id: ids.1,
            theme_id: ids.2,
            measure: c.measure,
            unit: c.unit,
            quantity: c.quantity,
            description: c.description.clone(),
            start_date: c.start_date.clone(),
            end_date: c.end_date.clone(),
            ward: c.ward.clone(),
            evidence_url: c.evidence_url.clone(),
            demonstration: false,
            audience: c.audience,
        }
    }
}

impl Store {
    /// One contribution, if `viewer` may see it.
    pub async fn contribution(
        &self,
        place: i64,
        id: i64,
        viewer: Viewer,
    ) -> Result<Option<Contribution>> {
        let filter = ContributionFilter {
            id: Some(id),
            ..Default::default()
        };
        let sql = contribution_sql(place, viewer, &filter);
        Ok(self.contribution_rows(sql).await?.into_iter().next())
    }

    /// One page of the contributions `filter` selects, latest first, and
    /// how many there are: both counted and cut in the database.
    pub async fn contributions_page(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &ContributionFilter,
        page: PageRequest,
    ) -> Result<(Vec<Contribution>, i64)> {
        let sql = contribution_sql(place, viewer, filter);
        let total = self.exec().one::<Count>(sql.counted()).await?.n;
        let rows = self
            .contributions_uncounted(place, viewer, filter, page)
            .await?;
        Ok((rows, total))
    }

    /// One page of the contributions `filter` selects, latest first, not
    /// counted: for a caller that knows how many there are (the totals
    /// count every one), so the place's contributions are not read twice.
    pub async fn contributions_uncounted(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &ContributionFilter,
        page: PageRequest,
    ) -> Result<Vec<Contribution>> {
        let mut sql = contribution_sql(place, viewer, filter);
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.push(&format!(
            " ORDER BY c.end_date DESC, c.id DESC LIMIT {limit} OFFSET {offset}"
        ));
        self.contribution_rows(sql).await
    }

    /// The totals of the contributions `filter` selects, one line per
    /// group, measure and unit, summed by the database.
    pub async fn contribution_totals(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &ContributionFilter,
        by: RollUp,
    ) -> Result<Vec<ContributionTotal>> {
        let (group, label) = match by {
            RollUp::Mission => ("m.slug", "m.short_name"),
            RollUp::Theme => ("COALESCE(t.slug, '')", "COALESCE(t.name, '')"),
            RollUp::Ward => ("COALESCE(c.ward, '')", "COALESCE(c.ward, '')"),
            RollUp::Organisation => ("o.slug", "o.name"),
            RollUp::Year => ("SUBSTR(c.end_date, 1, 4)", "SUBSTR(c.end_date, 1, 4)"),
        };
        let columns = format!(
            "{group} AS grp, {label} AS label, c.measure, c.unit, \
             CAST(SUM(c.quantity) AS BIGINT) AS total, COUNT(*) AS contributions"
        );
        let mut sql = selected(&columns, place, viewer, filter);
        sql.push(" GROUP BY 1, 2, 3, 4");
        let rows = self.exec().all::<TotalRow>(sql).await?;
        let mut totals = rows
            .into_iter()
            .map(|r| {
                Ok(ContributionTotal {
                    group: r.grp,
                    label: r.label,
                    measure: term("measure", &r.measure, Measure::parse)?,
                    unit: term("unit", &r.unit, Unit::parse)?,
                    total: r.total,
                    contributions: r.contributions,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // A few lines per group: ordered here, in the vocabulary's order.
        let position = |m: Measure| Measure::ALL.iter().position(|x| *x == m);
        totals.sort_by(|a, b| {
            let key = |t: &ContributionTotal| (t.group.is_empty(), t.label.to_lowercase());
            match by {
                RollUp::Year => b.group.cmp(&a.group),
                _ => key(a).cmp(&key(b)),
            }
            .then(position(a.measure).cmp(&position(b.measure)))
            .then(a.unit.cmp(&b.unit))
        });
        Ok(totals)
    }

    async fn contribution_rows(&self, sql: Sql) -> Result<Vec<Contribution>> {
        self.exec()
            .all::<ContributionRow>(sql)
            .await?
            .into_iter()
            .map(|c| {
                Ok(Contribution {
                    id: c.id,
                    organisation: RecordRef {
                        id: c.organisation_slug,
                        name: c.organisation_name,
                    },
                    mission: RecordRef {
                        id: c.mission_slug,
                        name: c.mission_name,
                    },
                    theme: c
                        .theme_slug
                        .zip(c.theme_name)
                        .map(|(id, name)| RecordRef { id, name }),
                    measure: term("measure", &c.measure, Measure::parse)?,
                    unit: term("unit", &c.unit, Unit::parse)?,
                    quantity: c.quantity,
                    description: c.description,
                    start_date: c.start_date,
                    end_date: c.end_date,
                    ward: c.ward,
                    evidence_url: c.evidence_url,
                    demonstration: c.demonstration,
                    audience: audience(&c.audience)?,
                    version: c.version,
                }
                .redact_for(Viewer::Public))
            })
            .collect()
    }

    /// Records a contribution; returns its id.
    pub async fn create_contribution(&self, w: &Write<'_>, c: &Contribution) -> Result<i64> {
        let mut tx = self.begin().await?;
        let ids = links(&mut tx, w, c).await?;
        let id = tx
            .insert_contribution(w.place, &NewContribution::from(c, ids))
            .await?;
        let mut created = c.clone();
        created.id = id;
        let audited =
            audit_change(&mut tx, w, "contribution", id.to_string(), None, &created).await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// Writes only what the writer may set; a theme they cannot see stays.
    pub async fn update_contribution(
        &self,
        w: &Write<'_>,
        before: &Contribution,
        after: &Contribution,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let (organisation_id, mission_id, theme_id) = links(&mut tx, w, after).await?;
        let mut set = Assignments::new(w);
        set.set("organisation", "organisation_id", organisation_id)
            .set("mission", "mission_id", mission_id)
            .set_reference(
                "theme",
                "contribution",
                "theme_id",
                "outcome_theme",
                theme_id,
            )
            .set("measure", "measure", after.measure.slug())
            .set("unit", "unit", after.unit.slug())
            .set("quantity", "quantity", after.quantity)
            .set("description", "description", after.description.clone())
            .set("start_date", "start_date", after.start_date.clone())
            .set("end_date", "end_date", after.end_date.clone())
            .set("ward", "ward", after.ward.clone())
            .set("evidence_url", "evidence_url", after.evidence_url.clone())
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "contribution", before.id, after.version, set).await?;
        let audited = audit_change(
            &mut tx,
            w,
            "contribution",
            before.id.to_string(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    pub async fn insert_contribution(&mut self, place_id: i64, c: &NewContribution) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO contribution (place_id, organisation_id, mission_id, theme_id, measure, \
             unit, quantity, description, start_date, end_date, ward, evidence_url, \
             demonstration, audience, id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            place_id,
            c.organisation_id,
            c.mission_id,
            c.theme_id,
            c.measure.slug(),
            c.unit.slug(),
            c.quantity,
            c.description.clone(),
            c.start_date.clone(),
            c.end_date.clone(),
            c.ward.clone(),
            c.evidence_url.clone(),
            c.demonstration,
            c.audience.as_str(),
            crate::write::unguessable_id(),
        );
        self.returning_id(sql).await
    }
}

/// The contributions `filter` selects that `viewer` may see, unordered: a
/// contribution shows only with its organisation and mission.
fn contribution_sql(place: i64, viewer: Viewer, filter: &ContributionFilter) -> Sql {
    selected(
        "c.id, o.slug AS organisation_slug, o.name AS organisation_name, \
         m.slug AS mission_slug, m.short_name AS mission_name, t.slug AS theme_slug, \
         t.name AS theme_name, c.measure, c.unit, c.quantity, c.description, \
         c.start_date, c.end_date, c.ward, c.evidence_url, c.demonstration, \
         c.audience, c.version",
        place,
        viewer,
        filter,
    )
}

/// `columns` of the contributions `filter` selects that `viewer` may see.
fn selected(columns: &str, place: i64, viewer: Viewer, filter: &ContributionFilter) -> Sql {
    let mut sql = sql!(
        format!(
            "SELECT {columns} FROM contribution c JOIN organisation o ON o.id = c.organisation_id \
             JOIN mission m ON m.id = c.mission_id \
             LEFT JOIN outcome_theme t ON t.id = c.theme_id AND {t_visible} \
             WHERE c.place_id = $1 AND {c_visible} AND {o_visible} AND {m_visible}",
            t_visible = visible("t", "$2"),
            c_visible = visible("c", "$2"),
            o_visible = visible("o", "$2"),
            m_visible = visible("m", "$2"),
        ),
        place,
        rank(viewer)
    );
    for (column, value) in [
        ("o.slug", &filter.organisation),
        ("m.slug", &filter.mission),
        ("t.slug", &filter.theme),
        ("c.ward", &filter.ward),
    ] {
        if let Some(value) = value {
            let p = sql.arg(value.as_str());
            sql.push(&format!(" AND {column} = {p}"));
        }
    }
    if let Some(organisation) = &filter.organisation {
        // The same organisation by key, so that SQLite reads its
        // contributions by index instead of every one in the place (it
        // cannot tell that a slug picks one organisation: 0.6 s at 100,000).
        let p = sql.arg(organisation.as_str());
        sql.push(&format!(
            " AND c.organisation_id = (SELECT x.id FROM organisation x \
             WHERE x.place_id = $1 AND x.slug = {p})"
        ));
    }
    if let Some(measure) = filter.measure {
        let p = sql.arg(measure.slug());
        sql.push(&format!(" AND c.measure = {p}"));
    }
    if let Some(year) = filter.year {
        let p = sql.arg(format!("{year:04}"));
        sql.push(&format!(" AND SUBSTR(c.end_date, 1, 4) = {p}"));
    }
    if let Some(id) = filter.id {
        let p = sql.arg(id);
        sql.push(&format!(" AND c.id = {p}"));
    }
    sql
}

/// The Camden demo's contributions: made up to show the service (flagged,
/// and each described as a demonstration record), over 2025 and 2026 so a
/// mission page has this year and last to compare. Partner, mission,
/// measure, quantity, period and ward.
type DemoContribution = (
    &'static str,
    &'static str,
    Measure,
    i64,
    (&'static str, &'static str),
    Option<&'static str>,
);
const DEMONSTRATION_CONTRIBUTIONS: &[DemoContribution] = &[
    (
        "ucl",
        "youth-opportunity",
        Measure::Placements,
        24,
        ("2025-06-01", "2025-08-31"),
        Some("Somers Town"),
    ),
    (
        "ucl",
        "youth-opportunity",
        Measure::Placements,
        31,
        ("2026-06-01", "2026-08-31"),
        Some("Somers Town"),
    ),
    (
        "ucl",
        "diverse-power",
        Measure::Volunteering,
        420,
        ("2026-01-01", "2026-06-30"),
        None,
    ),
    (
        "roundhouse",
        "youth-opportunity",
        Measure::People,
        180,
        ("2025-01-01", "2025-12-31"),
        Some("Camden Town"),
    ),
    (
        "roundhouse",
        "youth-opportunity",
        Measure::People,
        215,
        ("2026-01-01", "2026-09-30"),
        Some("Camden Town"),
    ),
    (
        "roundhouse",
        "youth-opportunity",
        Measure::InKind,
        12_000,
        ("2026-01-01", "2026-09-30"),
        None,
    ),
    (
        "arsenal-fc",
        "youth-opportunity",
        Measure::Apprenticeships,
        6,
        ("2025-09-01", "2026-07-31"),
        Some("Gospel Oak"),
    ),
    (
        "arsenal-fc",
        "youth-opportunity",
        Measure::Volunteering,
        350,
        ("2026-03-01", "2026-05-31"),
        Some("Gospel Oak"),
    ),
    (
        "camden-giving",
        "healthy-estates",
        Measure::Sponsorship,
        25_000,
        ("2025-04-01", "2026-03-31"),
        None,
    ),
    (
        "camden-giving",
        "healthy-estates",
        Measure::Sponsorship,
        30_000,
        ("2026-04-01", "2026-10-31"),
        Some("Regent's Park"),
    ),
    (
        "british-land",
        "youth-opportunity",
        Measure::Opportunities,
        40,
        ("2026-02-01", "2026-07-31"),
        Some("Somers Town"),
    ),
    (
        "google",
        "youth-opportunity",
        Measure::InKind,
        8_500,
        ("2026-01-01", "2026-06-30"),
        None,
    ),
];

impl Tx {
    /// Adds the Camden demo's contributions (`organisations` and
    /// `missions` map slugs to keys; a pair missing from either is skipped).
    pub(crate) async fn insert_demonstration_contributions(
        &mut self,
        place: i64,
        organisations: &[(&str, i64)],
        missions: &[(&str, i64)],
    ) -> Result<()> {
        let key = |ids: &[(&str, i64)], slug: &str| {
            ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
        };
        for (org, mission, measure, quantity, (start, end), ward) in DEMONSTRATION_CONTRIBUTIONS {
            let (Some(organisation_id), Some(mission_id)) =
                (key(organisations, org), key(missions, mission))
            else {
                continue;
            };
            let unit = measure.fixed_unit().unwrap_or(Unit::Count);
            self.insert_contribution(
                place,
                &NewContribution {
                    organisation_id,
                    mission_id,
                    theme_id: None,
                    measure: *measure,
                    unit,
                    quantity: *quantity,
                    description: Some(format!(
                        "Demonstration record: {} {}, made up to show the service.",
                        unit.format(*quantity),
                        measure.label().to_lowercase()
                    )),
                    start_date: (*start).into(),
                    end_date: (*end).into(),
                    ward: ward.map(Into::into),
                    evidence_url: None,
                    demonstration: true,
                    audience: Audience::Public,
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// Contributions per organisation in a generated place, on average.
const SYNTHETIC_PER_ORGANISATION: usize = 10;
/// Organisations whose contributions are written in one statement batch.
const SYNTHETIC_BATCH: usize = 500;

impl Tx {
    /// About ten contributions for each of `organisations` (database keys),
    /// to `missions` and sometimes `themes`, over the last three years,
    /// in wards named by `ward`; flagged as demonstration records.
    /// Returns how many were written.
    pub(crate) async fn insert_synthetic_contributions(
        &mut self,
        place: i64,
        rng: &mut rand_chacha::ChaCha8Rng,
        organisations: &[i64],
        missions: &[i64],
        themes: &[i64],
        ward: &(dyn Fn(usize) -> String + Sync),
    ) -> Result<usize> {
        use rand::Rng;
        if missions.is_empty() {
            return Ok(0);
        }
        let mut written = 0;
        for chunk in organisations.chunks(SYNTHETIC_BATCH) {
            let mut rows = Vec::new();
            for organisation in chunk {
                for _ in 0..rng.gen_range(0..=2 * SYNTHETIC_PER_ORGANISATION) {
                    let measure = Measure::ALL[rng.gen_range(0..Measure::ALL.len())];
                    let unit = measure.fixed_unit().unwrap_or(Unit::Count);
                    let quantity: i64 = match unit {
                        Unit::Gbp => rng.gen_range(50..50_000),
                        Unit::Hours => rng.gen_range(1..2_000),
                        Unit::Count => rng.gen_range(1..200),
                    };
                    let year = rng.gen_range(2024..=2026);
                    let month = rng.gen_range(1..=12);
                    let theme = (!themes.is_empty() && rng.gen_bool(0.5))
                        .then(|| themes[rng.gen_range(0..themes.len())]);
                    let ward = rng.gen_bool(0.6).then(|| ward(rng.gen_range(0..20)));
                    rows.push(vec![
                        Value::from(place),
                        Value::from(*organisation),
                        Value::from(missions[rng.gen_range(0..missions.len())]),
                        Value::from(theme),
                        Value::from(measure.slug()),
                        Value::from(unit.slug()),
                        Value::from(quantity),
                        Value::from(format!("{year}-{month:02}-01")),
                        Value::from(format!("{year}-{month:02}-28")),
                        Value::from(ward),
                        Value::from(true),
                    ]);
                }
            }
            written += rows.len();
            self.insert_rows::<crate::sql::Id>(
                "contribution",
                &[
                    "place_id",
                    "organisation_id",
                    "mission_id",
                    "theme_id",
                    "measure",
                    "unit",
                    "quantity",
                    "start_date",
                    "end_date",
                    "ward",
                    "demonstration",
                ],
                rows,
                None,
            )
            .await?;
        }
        Ok(written)
    }
}
