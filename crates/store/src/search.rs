//! Site search over `search_document`: one row per searchable record with
//! the text of the record's own audience, written in the transaction that
//! writes the record (every insert function and every audited update calls
//! [`Tx::reindex`]), and deleted with it by a cascading key. SQLite searches
//! it with FTS5, PostgreSQL with a weighted `tsvector` and a GIN index (see
//! `migrations::Dialect::full_text`); one interface serves both.

use placeweave_domain::search::{
    MATCH_END, MATCH_START, Search, SearchHit, SearchKind, SearchResults, fragments,
};
use placeweave_domain::{PageRequest, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{rank, term};
use crate::sql::{Sql, Value, audience_rank, sql, visible};
use crate::write::Tx;

/// Which records to (re)index: a condition on the record's table alias and
/// its arguments.
pub(crate) enum Records<'a> {
    /// Every record of the kind in a place.
    Place(i64),
    /// The record with this slug in a place (organisations also refresh
    /// their contacts, whose text shows the organisation's name).
    Slug(i64, &'a str),
    /// Records whose database ids lie in this range (inclusive): what a
    /// batch insert wrote. Reindexing is idempotent, so a record another
    /// writer put in the range is only recomputed.
    Ids(i64, i64),
}

/// How each kind's document is made from its tables. The text is only the
/// record's own fields at the record's audience: never a narrower field
/// (an organisation's internal notes), never a linked record's name.
struct Source {
    kind: SearchKind,
    table: &'static str,
    alias: &'static str,
    key: &'static str,
}

const SOURCES: &[Source] = &[
    Source {
        kind: SearchKind::Organisation,
        table: "organisation",
        alias: "o",
        key: "organisation_id",
    },
    Source {
        kind: SearchKind::Initiative,
        table: "initiative",
        alias: "i",
        key: "initiative_id",
    },
    Source {
        kind: SearchKind::Mission,
        table: "mission",
        alias: "m",
        key: "mission_id",
    },
    Source {
        kind: SearchKind::Role,
        table: "role",
        alias: "r",
        key: "role_id",
    },
    Source {
        kind: SearchKind::Contact,
        table: "contact",
        alias: "c",
        key: "contact_id",
    },
    Source {
        kind: SearchKind::Experiment,
        table: "experiment",
        alias: "e",
        key: "experiment_id",
    },
    Source {
        kind: SearchKind::Story,
        table: "story",
        alias: "s",
        key: "story_id",
    },
];

/// `agg(expression, ' ')`, the string aggregate of the backend.
fn aggregate(tx: &Tx) -> &'static str {
    match tx {
        Tx::Sqlite(..) => "group_concat",
        Tx::Postgres(_) => "string_agg",
    }
}

/// The `SELECT` that makes the documents of `source`'s records matching
/// `condition`: place, kind, slug, title, body, keywords, audience, key.
fn documents(source: &Source, agg: &str, condition: &str) -> String {
    let kind = source.kind.slug();
    match source.kind {
        SearchKind::Organisation => format!(
            "SELECT o.place_id, '{kind}', o.slug, o.name, \
             COALESCE(o.description, '') || ' ' || \
             COALESCE((SELECT {agg}(l.detail, ' ') FROM organisation_lever l \
               WHERE l.organisation_id = o.id), ''), \
             REPLACE(o.kind, '-', ' ') || ' ' || \
             COALESCE((SELECT {agg}(w.ward, ' ') FROM organisation_ward w \
               WHERE w.organisation_id = o.id), '') || ' ' || \
             COALESCE((SELECT {agg}(REPLACE(l.lever, '-', ' '), ' ') FROM organisation_lever l \
               WHERE l.organisation_id = o.id), ''), \
             o.audience, o.id FROM organisation o WHERE {condition}"
        ),
        SearchKind::Initiative => format!(
            "SELECT i.place_id, '{kind}', i.slug, i.name, COALESCE(i.description, ''), '', \
             i.audience, i.id FROM initiative i WHERE {condition}"
        ),
        SearchKind::Mission => format!(
            "SELECT m.place_id, '{kind}', m.slug, m.short_name, m.statement, '', \
             m.audience, m.id FROM mission m WHERE {condition}"
        ),
        SearchKind::Role => format!(
            "SELECT r.place_id, '{kind}', r.slug, r.name, \
             r.description || ' ' || r.ask_of_partner || ' ' || r.value_for_place || ' ' || \
             r.value_for_partner, '', r.audience, r.id FROM role r WHERE {condition}"
        ),
        SearchKind::Experiment => format!(
            "SELECT e.place_id, '{kind}', e.slug, e.name, COALESCE(e.hypothesis, ''), \
             REPLACE(e.mechanism, '-', ' ') || ' ' || e.status, \
             e.audience, e.id FROM experiment e WHERE {condition}"
        ),
        // A draft is for staff, whatever its audience (`story::readers`);
        // the consent record is never in the text.
        SearchKind::Story => format!(
            "SELECT s.place_id, '{kind}', s.slug, s.title, s.summary || ' ' || s.body, '', \
             {readers}, s.id FROM story s WHERE {condition}",
            readers = crate::story::readers_sql("s"),
        ),
        // Contacts are for staff ('staff') and admins ('restricted') only,
        // whatever else a row says (the rule `privacy::contact_visible`
        // applies to reads). The text names the organisation, so the
        // document is no wider than the organisation either.
        SearchKind::Contact => format!(
            "SELECT c.place_id, '{kind}', o.slug, c.name, COALESCE(c.job_title, ''), o.name, \
             CASE WHEN {org} > {contact} THEN o.audience ELSE c.audience END, c.id \
             FROM contact c JOIN organisation o ON o.id = c.organisation_id \
             WHERE c.audience IN ('staff', 'restricted') AND {condition}",
            org = audience_rank("o"),
            contact = audience_rank("c"),
        ),
    }
}

impl Tx {
    /// Rewrites the search documents of `kind`'s records picked by `which`,
    /// from what the tables hold now, inside this transaction.
    pub(crate) async fn reindex(&mut self, kind: SearchKind, which: Records<'_>) -> Result<()> {
        let Some(source) = SOURCES.iter().find(|s| s.kind == kind) else {
            return Ok(());
        };
        // Contacts are picked by their organisation (place, slug) or their own ids.
        let (alias, from) = match kind {
            SearchKind::Contact => (
                "o",
                "contact c JOIN organisation o ON o.id = c.organisation_id".to_owned(),
            ),
            _ => (source.alias, format!("{} {}", source.table, source.alias)),
        };
        let id_alias = source.alias;
        let (condition, args): (String, Vec<Value>) = match which {
            Records::Place(place) => (format!("{alias}.place_id = $1"), vec![place.into()]),
            Records::Slug(place, slug) => (
                format!("{alias}.place_id = $1 AND {alias}.slug = $2"),
                vec![place.into(), slug.into()],
            ),
            Records::Ids(first, last) => (
                format!("{id_alias}.id BETWEEN $1 AND $2"),
                vec![first.into(), last.into()],
            ),
        };
        let mut delete = Sql::new(format!(
            "DELETE FROM search_document WHERE {key} IN (SELECT {id_alias}.id FROM {from} WHERE {condition})",
            key = source.key,
        ));
        delete.args.clone_from(&args);
        self.exec().execute(delete).await?;
        let mut insert = Sql::new(format!(
            "INSERT INTO search_document (place_id, kind, slug, title, body, keywords, audience, {key}) {select}",
            key = source.key,
            select = documents(source, aggregate(self), &condition),
        ));
        insert.args = args;
        self.exec().execute(insert).await?;
        if kind == SearchKind::Organisation && !matches!(which, Records::Ids(..)) {
            Box::pin(self.reindex(SearchKind::Contact, which)).await?;
        }
        Ok(())
    }

    /// Reindexes the record an audited change names, when it is searchable.
    pub(crate) async fn reindex_record(
        &mut self,
        place: i64,
        record_type: &str,
        slug: &str,
    ) -> Result<()> {
        match SearchKind::parse(record_type) {
            Some(kind) if kind != SearchKind::Contact => {
                self.reindex(kind, Records::Slug(place, slug)).await
            }
            _ => Ok(()),
        }
    }

    /// Rebuilds a whole place's index (the demo place, a generated place).
    pub async fn reindex_place(&mut self, place: i64) -> Result<()> {
        for source in SOURCES {
            self.reindex(source.kind, Records::Place(place)).await?;
        }
        Ok(())
    }
}

#[derive(FromRow)]
struct HitRow {
    kind: String,
    slug: String,
    title: String,
    snippet: String,
}

#[derive(FromRow)]
struct KindCount {
    kind: String,
    n: i64,
}

/// The search expression for the backend: every word must match, each as
/// itself or as the start of a longer word (and, in `names_only`, in the
/// record's name). Words are letters and digits only
/// ([`placeweave_domain::search::words`]), so none is syntax.
fn expression(store: &Store, words: &[String], names_only: bool) -> String {
    let terms = words.iter().map(|w| match (store, names_only) {
        (Store::Sqlite(_), false) => format!("\"{w}\"*"),
        (Store::Sqlite(_), true) => format!("title : \"{w}\"*"),
        (Store::Postgres(_), false) => format!("{w}:*"),
        (Store::Postgres(_), true) => format!("{w}:*A"),
    });
    let joiner = match store {
        Store::Sqlite(_) => " ",
        Store::Postgres(_) => " & ",
    };
    terms.collect::<Vec<_>>().join(joiner)
}

/// The FROM clause and match condition of a search for `expr` (a bound
/// placeholder), with `d` the documents.
fn matching(store: &Store, expr: &str) -> (&'static str, String) {
    match store {
        // CROSS JOIN keeps the full-text index as the outer loop: left to
        // itself SQLite's planner walks the place's documents and runs the
        // whole match once for each (28 s instead of 50 ms at 100,000
        // organisations; BENCHMARKS.md).
        Store::Sqlite(_) => (
            "search_document_text CROSS JOIN search_document d ON d.id = search_document_text.rowid",
            format!("search_document_text MATCH {expr}"),
        ),
        Store::Postgres(_) => (
            "search_document d",
            format!("d.terms @@ to_tsquery('english', {expr})"),
        ),
    }
}

/// `alias.id IN (…)`: the organisations whose names hold every one of
/// `words` (or words starting with them), through the index rather than a
/// scan. The caller's condition on `alias` applies audiences.
pub(crate) fn named(store: &Store, sql: &mut Sql, alias: &str, words: &[String]) -> String {
    let expr = sql.arg(expression(store, words, true));
    let (from, matches) = matching(store, &expr);
    format!(
        "{alias}.id IN (SELECT d.organisation_id FROM {from} WHERE {matches} \
         AND d.kind = 'organisation')"
    )
}

impl Store {
    /// One page of the records matching `search` that `viewer` may read in
    /// the place, best first, with the matched words marked; and how many
    /// of each kind match. Hidden records are neither returned nor counted.
    /// `kinds` limits the kinds searched at all (the API has no contacts).
    pub async fn search(
        &self,
        place: i64,
        viewer: Viewer,
        search: &Search,
        kinds: &[SearchKind],
        page: PageRequest,
    ) -> Result<SearchResults> {
        let mut sql = Sql::default();
        let expr = sql.arg(expression(self, &search.words, false));
        let p = sql.arg(place);
        let r = sql.arg(rank(viewer));
        let kind_list: Vec<String> = kinds.iter().map(|k| sql.arg(k.slug())).collect::<Vec<_>>();
        let kinds_in = if kind_list.is_empty() {
            "NULL".to_owned()
        } else {
            kind_list.join(", ")
        };
        let (from, matches) = matching(self, &expr);
        let condition = format!(
            "{matches} AND d.place_id = {p} AND {} AND d.kind IN ({kinds_in})",
            visible("d", &r)
        );
        let counts_sql = Sql {
            text: format!(
                "SELECT d.kind, COUNT(*) AS n FROM {from} WHERE {condition} GROUP BY d.kind"
            ),
            args: sql.args.clone(),
        };
        let counts = self.exec().all::<KindCount>(counts_sql).await?;
        let mut counted: Vec<(SearchKind, i64)> = Vec::new();
        for row in counts {
            counted.push((term("kind", &row.kind, SearchKind::parse)?, row.n));
        }
        counted.sort();
        let total = counted
            .iter()
            .filter(|(k, _)| search.kind.is_none_or(|wanted| wanted == *k))
            .map(|(_, n)| n)
            .sum();

        let mut condition = condition;
        if let Some(kind) = search.kind {
            let k = sql.arg(kind.slug());
            condition.push_str(&format!(" AND d.kind = {k}"));
        }
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        let (start, end) = (MATCH_START, MATCH_END);
        sql.text = match self {
            // bm25 is lower for better matches; a word in the title weighs ten
            // times one in the body, a keyword twice.
            Store::Sqlite(_) => format!(
                "SELECT d.kind, d.slug, highlight(search_document_text, 0, '{start}', '{end}') AS title, \
                 snippet(search_document_text, 1, '{start}', '{end}', '…', 24) AS snippet \
                 FROM {from} WHERE {condition} \
                 ORDER BY bm25(search_document_text, 10.0, 1.0, 2.0), d.title, d.id \
                 LIMIT {limit} OFFSET {offset}"
            ),
            // Headlines are made for the page's rows only, after the LIMIT.
            Store::Postgres(_) => format!(
                "SELECT page.kind, page.slug, \
                 ts_headline('english', page.title, to_tsquery('english', {expr}), \
                   'StartSel={start}, StopSel={end}, HighlightAll=true') AS title, \
                 ts_headline('english', page.body, to_tsquery('english', {expr}), \
                   'StartSel={start}, StopSel={end}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet \
                 FROM (SELECT d.kind, d.slug, d.title, d.body, \
                   ts_rank(d.terms, to_tsquery('english', {expr})) AS score \
                   FROM {from} WHERE {condition} \
                   ORDER BY score DESC, d.title, d.id LIMIT {limit} OFFSET {offset}) page \
                 ORDER BY page.score DESC, page.title"
            ),
        };
        let rows = self.exec().all::<HitRow>(sql).await?;
        let hits = rows
            .into_iter()
            .map(|row| {
                Ok(SearchHit {
                    kind: term("kind", &row.kind, SearchKind::parse)?,
                    id: row.slug,
                    title: fragments(&row.title),
                    snippet: fragments(&row.snippet),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SearchResults {
            hits,
            counts: counted,
            total,
        })
    }

    /// Builds the index of every place when it is empty but records exist:
    /// a database migrated from before search. Bookkeeping, not a change to
    /// anyone's records, so it writes no audit line.
    pub async fn index_if_empty(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        let empty = tx
            .exec()
            .optional::<crate::sql::Id>(sql!(
                "SELECT id FROM place WHERE NOT EXISTS (SELECT 1 FROM search_document) LIMIT 1"
            ))
            .await?
            .is_some();
        if empty {
            let places = tx
                .exec()
                .all::<crate::sql::Id>(sql!("SELECT id FROM place"))
                .await?;
            for place in places {
                tx.reindex_place(place.id).await?;
            }
        }
        tx.commit_unaudited().await
    }
}
