//! One set of migrations for both backends. Each file in `migrations/` is
//! shared SQL with a few dialect tokens, replaced here, so the two schemas
//! cannot drift apart.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::migrate::{Migrate, MigrateError, Migration, MigrationSource, MigrationType};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "places and partners",
        include_str!("../migrations/0001_places_and_partners.sql"),
    ),
    (
        2,
        "accounts and privacy",
        include_str!("../migrations/0002_accounts_and_privacy.sql"),
    ),
    // 3 was left for per-place settings and is never used: they are 5.
    (
        4,
        "background jobs",
        include_str!("../migrations/0004_background_jobs.sql"),
    ),
    (
        5,
        "place pages",
        include_str!("../migrations/0005_place_pages.sql"),
    ),
    (
        6,
        "password resets",
        include_str!("../migrations/0006_password_resets.sql"),
    ),
    (
        7,
        "record updates",
        include_str!("../migrations/0007_record_updates.sql"),
    ),
    (8, "search", include_str!("../migrations/0008_search.sql")),
    (
        9,
        "relationships",
        include_str!("../migrations/0009_relationships.sql"),
    ),
    (
        10,
        "interactions",
        include_str!("../migrations/0010_interactions.sql"),
    ),
    (
        11,
        "enquiries",
        include_str!("../migrations/0011_enquiries.sql"),
    ),
    (
        12,
        "experiments",
        include_str!("../migrations/0012_experiments.sql"),
    ),
    (
        13,
        "outcomes",
        include_str!("../migrations/0013_outcomes.sql"),
    ),
    (
        14,
        "contributions and stories",
        include_str!("../migrations/0014_contributions_and_stories.sql"),
    ),
    (15, "asks", include_str!("../migrations/0015_asks.sql")),
    (
        16,
        "review and coordination",
        include_str!("../migrations/0016_review_and_coordination.sql"),
    ),
    (
        17,
        "stories",
        include_str!("../migrations/0017_stories.sql"),
    ),
    (
        19,
        "data licence",
        include_str!("../migrations/0019_data_licence.sql"),
    ),
    (
        20,
        "data version",
        include_str!("../migrations/0020_data_version.sql"),
    ),
    (
        22,
        "commitment review",
        include_str!("../migrations/0022_commitment_review.sql"),
    ),
    (
        23,
        "interaction participants",
        include_str!("../migrations/0023_interaction_participants.sql"),
    ),
    (
        24,
        "ask answer version",
        include_str!("../migrations/0024_ask_answer_version.sql"),
    ),
    (
        25,
        "partnership report indexes",
        include_str!("../migrations/0025_partnership_report_indexes.sql"),
    ),
];

/// The newest schema this program knows.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// A migration whose file was edited after it had been applied on main
/// (before checksums were pinned): databases made in between hold the first
/// text's checksum, which sqlx refuses. Such a database is accepted, and the
/// edit it missed is applied, so that it ends in today's schema.
struct Superseded {
    version: i64,
    /// The text as first applied.
    sql: &'static str,
    /// What the edit changed, for a database made from `sql`.
    sqlite_repair: &'static str,
    postgres_repair: &'static str,
}

const SUPERSEDED: &[Superseded] = &[
    Superseded {
        version: 2,
        sql: include_str!("../migrations/superseded/0002_accounts_and_privacy.sql"),
        sqlite_repair: "ALTER TABLE outcome_theme ADD COLUMN version BIGINT NOT NULL DEFAULT 1;",
        postgres_repair: "ALTER TABLE outcome_theme ADD COLUMN version BIGINT NOT NULL DEFAULT 1;",
    },
    Superseded {
        version: 13,
        sql: include_str!("../migrations/superseded/0013_outcomes.sql"),
        // SQLite stores INTEGER and BIGINT columns alike.
        sqlite_repair: "",
        postgres_repair: "ALTER TABLE outcome_signal ALTER COLUMN position TYPE BIGINT; \
            ALTER TABLE measure ALTER COLUMN position TYPE BIGINT; \
            ALTER TABLE measure_value ALTER COLUMN year TYPE BIGINT;",
    },
];

/// A migration's checksum as sqlx computes it (SHA-384 of the SQL).
fn checksum(sql: &str) -> Vec<u8> {
    Migration::new(
        0,
        Cow::Borrowed(""),
        MigrationType::Simple,
        Cow::Owned(sql.to_owned()),
        false,
    )
    .checksum
    .into_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Brings each migration applied from its first text (see [`SUPERSEDED`])
/// to today's schema and checksum, in one transaction each, so that sqlx's
/// migrator then accepts the database. Run before the migrator.
pub(crate) async fn accept_superseded<C>(conn: &mut C, dialect: Dialect) -> Result<(), MigrateError>
where
    C: Migrate,
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    conn.ensure_migrations_table().await?;
    let applied = conn.list_applied_migrations().await?;
    for old in SUPERSEDED {
        let first = checksum(&dialect.render(old.sql));
        let Some(found) = applied.iter().find(|a| a.version == old.version) else {
            continue;
        };
        if found.checksum.as_ref() != first.as_slice() {
            continue;
        }
        let Some((_, _, sql)) = MIGRATIONS.iter().find(|(v, _, _)| *v == old.version) else {
            continue;
        };
        let now = hex(&checksum(&dialect.render(sql)));
        let (repair, bytes) = match dialect {
            Dialect::Sqlite => (old.sqlite_repair, format!("X'{now}'")),
            Dialect::Postgres => (old.postgres_repair, format!("'\\x{now}'::bytea")),
        };
        tracing::warn!(
            migration = old.version,
            "the database was made from migration {}'s first text: applying what was added to it since",
            old.version
        );
        let script = format!(
            "BEGIN;\n{repair}\nUPDATE _sqlx_migrations SET checksum = {bytes} WHERE version = {};\nCOMMIT;",
            old.version
        );
        sqlx::raw_sql(&script).execute(&mut *conn).await?;
    }
    Ok(())
}

const AUDIENCE: &str = "TEXT NOT NULL DEFAULT 'public' \
    CHECK (audience IN ('public', 'partners', 'staff', 'restricted'))";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn identity(self) -> &'static str {
        match self {
            // INTEGER PRIMARY KEY makes the column SQLite's rowid.
            Dialect::Sqlite => "INTEGER PRIMARY KEY",
            Dialect::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        }
    }

    /// Triggers that make a table refuse UPDATE and DELETE (and TRUNCATE).
    fn append_only(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => format!(
                "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;\n\
                 CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            ),
            Dialect::Postgres => format!(
                "CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION '{table} is append-only'; END $$;\n\
                 CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();\n\
                 CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change();"
            ),
        }
    }

    /// The full-text index over a table's `title`, `body` and `keywords`: an FTS5
    /// table kept by triggers on SQLite (Porter stemming, prefix indexes,
    /// deletions overwritten so erased text leaves no trace), a weighted
    /// `tsvector` column with a GIN index on PostgreSQL.
    fn full_text(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => format!(
                "CREATE VIRTUAL TABLE {table}_text USING fts5(title, body, keywords, content='{table}', \
                 content_rowid='id', tokenize='porter unicode61 remove_diacritics 2', prefix='2 3');\n\
                 INSERT INTO {table}_text ({table}_text, rank) VALUES ('secure-delete', 1);\n\
                 CREATE TRIGGER {table}_text_insert AFTER INSERT ON {table} BEGIN \
                 INSERT INTO {table}_text (rowid, title, body, keywords) \
                 VALUES (new.id, new.title, new.body, new.keywords); END;\n\
                 CREATE TRIGGER {table}_text_delete AFTER DELETE ON {table} BEGIN \
                 INSERT INTO {table}_text ({table}_text, rowid, title, body, keywords) \
                 VALUES ('delete', old.id, old.title, old.body, old.keywords); END;\n\
                 CREATE TRIGGER {table}_text_update AFTER UPDATE ON {table} BEGIN \
                 INSERT INTO {table}_text ({table}_text, rowid, title, body, keywords) \
                 VALUES ('delete', old.id, old.title, old.body, old.keywords); \
                 INSERT INTO {table}_text (rowid, title, body, keywords) \
                 VALUES (new.id, new.title, new.body, new.keywords); END;"
            ),
            Dialect::Postgres => format!(
                "ALTER TABLE {table} ADD COLUMN terms tsvector GENERATED ALWAYS AS \
                 (setweight(to_tsvector('english', title), 'A') || \
                 setweight(to_tsvector('english', body), 'B') || \
                 setweight(to_tsvector('english', keywords), 'C')) STORED;\n\
                 CREATE INDEX {table}_terms ON {table} USING GIN (terms);"
            ),
        }
    }

    pub fn render(self, sql: &str) -> String {
        let mut out = String::with_capacity(sql.len());
        for line in sql.lines() {
            let directive = |name: &str| {
                line.strip_prefix(name)
                    .and_then(|rest| rest.strip_suffix("}}"))
                    .map(str::trim)
            };
            if let Some(table) = directive("{{APPEND_ONLY ") {
                out.push_str(&self.append_only(table));
            } else if let Some(table) = directive("{{FULL_TEXT ") {
                out.push_str(&self.full_text(table));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out.replace("{{ID}}", self.identity())
            .replace("{{AUDIENCE}}", AUDIENCE)
    }
}

impl<'s> MigrationSource<'s> for Dialect {
    #[allow(clippy::type_complexity)]
    fn resolve(
        self,
    ) -> Pin<
        Box<
            dyn Future<Output = Result<Vec<Migration>, Box<dyn std::error::Error + Send + Sync>>>
                + Send
                + 's,
        >,
    > {
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Owned(self.render(sql)),
                        false,
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, TempFolder};
    use crate::{Store, StoreError};

    /// Every migration's checksum on each backend, as first applied.
    const PINNED: &str = include_str!("../migrations/checksums.txt");

    #[test]
    fn applied_migrations_are_never_edited() {
        let pinned: Vec<(i64, &str, &str)> = PINNED
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut fields = l.split_whitespace();
                let version = fields.next()?.parse().ok()?;
                Some((version, fields.next()?, fields.next()?))
            })
            .collect();
        let mut unpinned = Vec::new();
        for (version, description, sql) in MIGRATIONS {
            for (dialect, name) in [(Dialect::Sqlite, "sqlite"), (Dialect::Postgres, "postgres")] {
                let now = hex(&checksum(&dialect.render(sql)));
                match pinned.iter().find(|(v, d, _)| v == version && *d == name) {
                    Some((_, _, was)) => assert_eq!(
                        *was, now,
                        "migration {version} ({description}) on {name} is not the SQL that was applied: \
                         databases that ran it would be refused. Put the file back as it was and \
                         add a new migration instead"
                    ),
                    None => unpinned.push(format!("{version:04} {name} {now}")),
                }
            }
        }
        assert!(
            unpinned.is_empty(),
            "pin the new migrations: add these lines to crates/store/migrations/checksums.txt\n{}",
            unpinned.join("\n")
        );
    }

    /// Today's migrations, but those in [`SUPERSEDED`] with their first text.
    #[derive(Debug, Clone, Copy)]
    struct AsFirstApplied(Dialect);

    impl<'s> MigrationSource<'s> for AsFirstApplied {
        #[allow(clippy::type_complexity)]
        fn resolve(
            self,
        ) -> Pin<
            Box<
                dyn Future<
                        Output = Result<Vec<Migration>, Box<dyn std::error::Error + Send + Sync>>,
                    > + Send
                    + 's,
            >,
        > {
            Box::pin(async move {
                Ok(MIGRATIONS
                    .iter()
                    .map(|(version, description, sql)| {
                        let sql = SUPERSEDED
                            .iter()
                            .find(|s| s.version == *version)
                            .map_or(*sql, |s| s.sql);
                        Migration::new(
                            *version,
                            Cow::Borrowed(*description),
                            MigrationType::Simple,
                            Cow::Owned(self.0.render(sql)),
                            false,
                        )
                    })
                    .collect())
            })
        }
    }

    /// A new, empty database on the backend under test, and its folder.
    async fn empty_database() -> (String, Option<TempFolder>) {
        match std::env::var(testing::POSTGRES_ENV) {
            Ok(admin_url) => {
                let name = format!("pw_test_{:016x}", rand::random::<u64>());
                let admin = Store::connect(&admin_url).await.expect("admin");
                admin
                    .exec()
                    .execute(crate::sql::Sql::new(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create");
                admin.close().await;
                let (server, _) = admin_url.rsplit_once('/').expect("a URL with a database");
                (format!("{server}/{name}"), None)
            }
            Err(_) => {
                let folder = TempFolder::new().expect("folder");
                let url = format!("sqlite://{}", folder.path().join("old.sqlite3").display());
                (url, Some(folder))
            }
        }
    }

    /// Each column's name, type and default, table by table.
    async fn columns(store: &Store) -> Vec<String> {
        let rows: Vec<(String,)> = match store {
            Store::Sqlite(db) => sqlx::query_as(
                "SELECT m.name || '.' || p.name || ' ' || p.\"notnull\" || ' ' || COALESCE(p.dflt_value, '') \
                 FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1",
            )
            .fetch_all(&db.pool)
            .await
            .expect("columns"),
            Store::Postgres(pool) => sqlx::query_as(
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable \
                 || ' ' || COALESCE(column_default, '') FROM information_schema.columns \
                 WHERE table_schema = 'public' ORDER BY 1",
            )
            .fetch_all(pool)
            .await
            .expect("columns"),
        };
        rows.into_iter().map(|(c,)| c).collect()
    }

    #[tokio::test]
    async fn a_database_made_from_the_first_texts_of_edited_migrations_is_accepted() {
        let (url, _folder) = empty_database().await;
        let old = Store::connect(&url).await.expect("open");
        let dialect = old.dialect();
        let migrator = sqlx::migrate::Migrator::new(AsFirstApplied(dialect))
            .await
            .expect("migrator");
        match &old {
            Store::Sqlite(db) => migrator.run(&db.pool).await.expect("old schema"),
            Store::Postgres(pool) => migrator.run(pool).await.expect("old schema"),
        }
        old.close().await;
        let store = Store::connect(&url).await.expect("open");
        store.migrate().await.expect("the old database is accepted");
        store.migrate().await.expect("and again");
        let fresh = testing::database().await.expect("fresh");
        assert_eq!(columns(&store).await, columns(&fresh.store).await);
        store.close().await;
    }

    #[tokio::test]
    async fn a_database_from_a_newer_placeweave_is_named_so() {
        let db = testing::database().await.expect("database");
        let insert = format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ({}, 'from the future', TRUE, {}, 0)",
            LATEST_VERSION + 1,
            match db.store.dialect() {
                Dialect::Sqlite => "X'00'",
                Dialect::Postgres => "'\\x00'::bytea",
            }
        );
        db.store
            .exec()
            .execute(crate::sql::Sql::new(insert))
            .await
            .expect("insert");
        let err = db.store.migrate().await.expect_err("refused");
        assert!(
            matches!(err, StoreError::Newer(v) if v == LATEST_VERSION + 1),
            "{err}"
        );
        assert!(
            err.to_string().contains(&format!(
                "this database was made by a newer placeweave (migration {}); upgrade placeweave",
                LATEST_VERSION + 1
            )),
            "{err}"
        );
    }

    #[test]
    fn every_token_is_replaced() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            for (_, _, sql) in MIGRATIONS {
                assert!(!dialect.render(sql).contains("{{"), "{dialect:?}");
            }
        }
    }
}
