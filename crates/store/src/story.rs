//! Stories: the list (filtered and paged in the database), one story with
//! its missions, themes and credited partners, and writes with their audit
//! lines. Every read filters the story on who may read it (a draft is for
//! staff, `story::readers`) and each record it joins on its audience.

use std::collections::HashMap;

use placeweave_domain::date::iso_date;
use placeweave_domain::place::RecordRef;
use placeweave_domain::story::{
    Consent, ConsentUse, DRAFT_AUDIENCE, Story, StoryFilter, StoryStatus, StorySummary,
};
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Audience, PageRequest, Participant, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{
    Assignments, RefRow, Write, audience, audit_change, rank, replace_visible_links, resolve, term,
    versioned,
};
use crate::search::Records;
use crate::sql::{Count, Id, Sql, Value, sql, visible};
use crate::write::{Tx, duplicate};
use placeweave_domain::search::SearchKind;

#[derive(FromRow)]
struct StoryRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    body: String,
    status: String,
    published_on: Option<String>,
    consent_given_by: Option<String>,
    consent_given_on: Option<String>,
    consent_uses: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    status: String,
    published_on: Option<String>,
    demonstration: bool,
}

#[derive(FromRow)]
struct LinkRow {
    story_id: i64,
    slug: String,
    name: String,
}

#[derive(FromRow)]
struct PartnerRow {
    slug: String,
    name: String,
    credit: Option<String>,
}

const COLUMNS: &str = "s.id, s.slug, s.title, s.summary, s.body, s.status, s.published_on, \
    s.consent_given_by, s.consent_given_on, s.consent_uses, s.demonstration, s.audience, s.version";

fn audience_position(audience: Audience) -> i64 {
    Audience::ALL
        .iter()
        .position(|a| *a == audience)
        .and_then(|p| i64::try_from(p).ok())
        .unwrap_or(0)
}

/// Whether the viewer whose rank is bound at `rank` may read the story
/// `alias`: its audience, and a draft only at `DRAFT_AUDIENCE` or wider.
fn shown(alias: &str, rank: &str) -> String {
    format!(
        "{} AND ({alias}.status = 'published' OR {rank} >= {})",
        visible(alias, rank),
        audience_position(DRAFT_AUDIENCE)
    )
}

/// `story::readers` as an SQL expression over the story `alias`: the
/// audience a search document of it carries.
pub(crate) fn readers_sql(alias: &str) -> String {
    let wider: Vec<String> = Audience::ALL
        .iter()
        .filter(|a| **a < DRAFT_AUDIENCE)
        .map(|a| format!("'{}'", a.as_str()))
        .collect();
    format!(
        "CASE WHEN {alias}.status = 'draft' AND {alias}.audience IN ({}) THEN '{}' \
         ELSE {alias}.audience END",
        wider.join(", "),
        DRAFT_AUDIENCE.as_str()
    )
}

fn consent_from(row: &StoryRow) -> Result<Option<Consent>> {
    let (Some(given_by), Some(given_on), Some(uses)) = (
        row.consent_given_by.clone(),
        row.consent_given_on.clone(),
        row.consent_uses.as_deref(),
    ) else {
        return Ok(None);
    };
    let mut parsed = Vec::new();
    for slug in uses.split(',').filter(|s| !s.is_empty()) {
        parsed.push(term("consent_uses", slug, ConsentUse::parse)?);
    }
    Ok(Some(Consent {
        given_by,
        given_on,
        uses: parsed,
    }))
}

fn uses_column(story: &Story) -> Option<String> {
    story.consent.as_ref().map(|c| {
        c.uses
            .iter()
            .map(|u| u.slug())
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// The date a story was published: kept once set, today when it is first
/// published, none for a draft.
fn published_on(story: &Story, now: i64) -> Option<String> {
    match story.status {
        StoryStatus::Draft => None,
        StoryStatus::Published => story.published_on.clone().or_else(|| Some(iso_date(now))),
    }
}

/// A story's missions, themes and partners as database ids, each resolved
/// as the writer may see it (a hidden one is named like a missing one).
async fn links(tx: &mut Tx, w: &Write<'_>, story: &Story) -> Result<StoryLinks> {
    let mut links = StoryLinks::default();
    for mission in &story.missions {
        links
            .missions
            .push(resolve(tx, w, "mission", "missions", &mission.id).await?);
    }
    for theme in &story.themes {
        links
            .themes
            .push(resolve(tx, w, "outcome_theme", "themes", &theme.id).await?);
    }
    for p in &story.participants {
        let id = resolve(tx, w, "organisation", "participants", &p.organisation.id).await?;
        links.partners.push((id, p.role.clone()));
    }
    Ok(links)
}

/// A story's links as database ids: missions, themes and the partners
/// credited (each with what for).
#[derive(Debug, Default, Clone)]
pub struct StoryLinks {
    pub missions: Vec<i64>,
    pub themes: Vec<i64>,
    pub partners: Vec<(i64, Option<String>)>,
}

impl Store {
    /// One page of the stories the viewer may read that match the filter,
    /// newest first (drafts, which only staff see, before them), and how
    /// many match, both cut in the database.
    pub async fn stories_page(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &StoryFilter,
        page: PageRequest,
    ) -> Result<(Vec<StorySummary>, i64)> {
        let mut sql = sql!(
            format!(
                "SELECT s.id, s.slug, s.title, s.summary, s.status, s.published_on, s.demonstration \
                 FROM story s WHERE s.place_id = $1 AND {}",
                shown("s", "$2")
            ),
            place,
            rank(viewer)
        );
        if filter.published_only {
            sql.push(" AND s.status = 'published'");
        }
        for (value, link, column, table) in [
            (&filter.mission, "story_mission", "mission_id", "mission"),
            (
                &filter.theme,
                "story_theme",
                "outcome_theme_id",
                "outcome_theme",
            ),
            (
                &filter.partner,
                "story_partner",
                "organisation_id",
                "organisation",
            ),
        ] {
            if let Some(slug) = value {
                let p = sql.arg(slug.as_str());
                sql.push(&format!(
                    " AND s.id IN (SELECT l.story_id FROM {link} l JOIN {table} x ON x.id = l.{column} \
                     WHERE x.slug = {p} AND x.place_id = $1 AND {})",
                    visible("x", "$2")
                ));
            }
        }
        let total = self.exec().one::<Count>(sql.counted()).await?.n;
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.push(&format!(
            " ORDER BY CASE WHEN s.status = 'draft' THEN 0 ELSE 1 END, s.published_on DESC, \
             s.title, s.id LIMIT {limit} OFFSET {offset}"
        ));
        let rows = self.exec().all::<SummaryRow>(sql).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut missions = self
            .linked(
                &ids,
                viewer,
                "SELECT l.story_id, x.slug, x.short_name AS name FROM story_mission l \
                 JOIN mission x ON x.id = l.mission_id",
                "x.position",
            )
            .await?;
        let mut themes = self
            .linked(
                &ids,
                viewer,
                "SELECT l.story_id, x.slug, x.name FROM story_theme l \
                 JOIN outcome_theme x ON x.id = l.outcome_theme_id",
                "x.position",
            )
            .await?;
        let mut partners = self
            .linked(
                &ids,
                viewer,
                "SELECT l.story_id, x.slug, x.name FROM story_partner l \
                 JOIN organisation x ON x.id = l.organisation_id",
                "x.name",
            )
            .await?;
        let mut items = Vec::new();
        for r in rows {
            items.push(StorySummary {
                id: r.slug,
                title: r.title,
                summary: r.summary,
                status: term("status", &r.status, StoryStatus::parse)?,
                published_on: r.published_on,
                missions: missions.remove(&r.id).unwrap_or_default(),
                themes: themes.remove(&r.id).unwrap_or_default(),
                participants: partners.remove(&r.id).unwrap_or_default(),
                demonstration: r.demonstration,
            });
        }
        Ok((items, total))
    }

    /// The records `select` links to the stories `ids`, those the viewer
    /// may see (alias `x`), by story, in `order`: one query for a page.
    async fn linked(
        &self,
        ids: &[i64],
        viewer: Viewer,
        select: &str,
        order: &str,
    ) -> Result<HashMap<i64, Vec<RecordRef>>> {
        let mut by_story: HashMap<i64, Vec<RecordRef>> = HashMap::new();
        // Pages are at most a few hundred stories; chunks keep each
        // statement well under either backend's limit on arguments.
        for chunk in ids.chunks(500) {
            let mut sql = Sql::default();
            let r = sql.arg(rank(viewer));
            let list: Vec<String> = chunk.iter().map(|id| sql.arg(*id)).collect();
            sql.text = format!(
                "{select} WHERE l.story_id IN ({}) AND {} ORDER BY {order}",
                list.join(", "),
                visible("x", &r)
            );
            for row in self.exec().all::<LinkRow>(sql).await? {
                by_story.entry(row.story_id).or_default().push(RecordRef {
                    id: row.slug,
                    name: row.name,
                });
            }
        }
        Ok(by_story)
    }

    pub async fn story(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Story>> {
        let sql = sql!(
            format!(
                "SELECT {COLUMNS} FROM story s WHERE s.place_id = $1 AND s.slug = $2 AND {}",
                shown("s", "$3")
            ),
            place,
            slug,
            rank(viewer)
        );
        let Some(row) = self.exec().optional::<StoryRow>(sql).await? else {
            return Ok(None);
        };
        let missions = self
            .exec()
            .all::<RefRow>(sql!(
                format!(
                    "SELECT m.slug, m.short_name AS name FROM story_mission l \
                     JOIN mission m ON m.id = l.mission_id \
                     WHERE l.story_id = $1 AND {} ORDER BY m.position",
                    visible("m", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let themes = self
            .exec()
            .all::<RefRow>(sql!(
                format!(
                    "SELECT t.slug, t.name FROM story_theme l \
                     JOIN outcome_theme t ON t.id = l.outcome_theme_id \
                     WHERE l.story_id = $1 AND {} ORDER BY t.position",
                    visible("t", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let partners = self
            .exec()
            .all::<PartnerRow>(sql!(
                format!(
                    "SELECT o.slug, o.name, l.credit FROM story_partner l \
                     JOIN organisation o ON o.id = l.organisation_id \
                     WHERE l.story_id = $1 AND {} ORDER BY o.name",
                    visible("o", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        Ok(Some(
            Story {
                consent: consent_from(&row)?,
                id: row.slug,
                title: row.title,
                summary: row.summary,
                body: row.body,
                missions: missions.into_iter().map(RecordRef::from).collect(),
                themes: themes.into_iter().map(RecordRef::from).collect(),
                participants: partners
                    .into_iter()
                    .map(|p| Participant {
                        organisation: RecordRef {
                            id: p.slug,
                            name: p.name,
                        },
                        role: p.credit,
                    })
                    .collect(),
                status: term("status", &row.status, StoryStatus::parse)?,
                published_on: row.published_on,
                demonstration: row.demonstration,
                audience: audience(&row.audience)?,
                version: row.version,
            }
            .redact_for(viewer),
        ))
    }

    pub async fn create_story(&self, w: &Write<'_>, story: &Story) -> Result<()> {
        let mut tx = self.begin().await?;
        let links = links(&mut tx, w, story).await?;
        let mut stored = story.clone();
        stored.published_on = published_on(story, w.now);
        tx.insert_story(w.place, &stored, &links)
            .await
            .map_err(|e| duplicate(e, || format!("a story with id \"{}\"", story.id)))?;
        let audited = audit_change(&mut tx, w, "story", story.id.clone(), None, &stored).await?;
        tx.commit(audited).await
    }

    /// Missions, themes and partners the writer cannot see stay linked.
    pub async fn update_story(&self, w: &Write<'_>, before: &Story, after: &Story) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "story", "story", &before.id).await?;
        let mut stored = after.clone();
        stored.published_on = published_on(after, w.now);
        let consent = stored.consent.as_ref();
        let mut set = Assignments::new(w);
        set.set("title", "title", stored.title.as_str())
            .set("summary", "summary", stored.summary.as_str())
            .set("body", "body", stored.body.as_str())
            .set("status", "status", stored.status.slug())
            .set("status", "published_on", stored.published_on.clone())
            .set(
                "consent_given_by",
                "consent_given_by",
                consent.map(|c| c.given_by.clone()),
            )
            .set(
                "consent_given_on",
                "consent_given_on",
                consent.map(|c| c.given_on.clone()),
            )
            .set("consent_uses", "consent_uses", uses_column(&stored))
            .set("audience", "audience", stored.audience.as_str());
        versioned(&mut tx, "story", id, after.version, set).await?;
        let links = links(&mut tx, w, &stored).await?;
        if w.may_set("missions") {
            let link = ("story_mission", "story_id", "mission_id");
            replace_visible_links(&mut tx, w, link, "mission", id).await?;
            tx.link_story("story_mission", "mission_id", id, &links.missions)
                .await?;
        }
        if w.may_set("themes") {
            let link = ("story_theme", "story_id", "outcome_theme_id");
            replace_visible_links(&mut tx, w, link, "outcome_theme", id).await?;
            tx.link_story("story_theme", "outcome_theme_id", id, &links.themes)
                .await?;
        }
        if w.may_set("participants") {
            let link = ("story_partner", "story_id", "organisation_id");
            replace_visible_links(&mut tx, w, link, "organisation", id).await?;
            tx.credit_partners(id, &links.partners).await?;
        }
        let audited = audit_change(
            &mut tx,
            w,
            "story",
            before.id.clone(),
            Some(before),
            &stored,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    /// Inserts a story with its links, as given (its publication date
    /// included), and indexes it for search.
    pub async fn insert_story(
        &mut self,
        place_id: i64,
        story: &Story,
        links: &StoryLinks,
    ) -> Result<i64> {
        let s = story;
        let consent = s.consent.as_ref();
        let sql = sql!(
            "INSERT INTO story (place_id, slug, title, summary, body, status, published_on, \
             consent_given_by, consent_given_on, consent_uses, demonstration, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            place_id,
            s.id.as_str(),
            s.title.as_str(),
            s.summary.as_str(),
            s.body.as_str(),
            s.status.slug(),
            s.published_on.clone(),
            consent.map(|c| c.given_by.clone()),
            consent.map(|c| c.given_on.clone()),
            uses_column(s),
            s.demonstration,
            s.audience.as_str(),
            crate::record::unix_now(),
        );
        let id = self.returning_id(sql).await?;
        self.link_story("story_mission", "mission_id", id, &links.missions)
            .await?;
        self.link_story("story_theme", "outcome_theme_id", id, &links.themes)
            .await?;
        self.credit_partners(id, &links.partners).await?;
        self.reindex(SearchKind::Story, Records::Ids(id, id))
            .await?;
        Ok(id)
    }

    async fn link_story(
        &mut self,
        table: &str,
        column: &str,
        id: i64,
        targets: &[i64],
    ) -> Result<()> {
        let rows = targets
            .iter()
            .map(|t| vec![Value::from(id), Value::from(*t)])
            .collect();
        self.insert_rows::<Id>(table, &["story_id", column], rows, None)
            .await?;
        Ok(())
    }

    async fn credit_partners(&mut self, id: i64, partners: &[(i64, Option<String>)]) -> Result<()> {
        let rows = partners
            .iter()
            .map(|(org, credit)| {
                vec![
                    Value::from(id),
                    Value::from(*org),
                    Value::from(credit.clone()),
                ]
            })
            .collect();
        self.insert_rows::<Id>(
            "story_partner",
            &["story_id", "organisation_id", "credit"],
            rows,
            None,
        )
        .await?;
        Ok(())
    }
}
