//! Shared SQL, run on either backend. Queries are written once with `$n`
//! placeholders (both SQLite and PostgreSQL accept them), their arguments
//! collected as [`Value`]s, and dispatched to whichever pool is open.

use sqlx::{FromRow, Postgres, Sqlite, postgres::PgRow, sqlite::SqliteRow};

use crate::Store;
use crate::error::Result;

/// One bound argument.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// A statement being built: its text and its arguments in order.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Value>,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// `SELECT COUNT(*) AS n` over this statement's rows, with its arguments.
    pub fn counted(&self) -> Sql {
        Sql {
            text: format!("SELECT COUNT(*) AS n FROM ({}) counted", self.text),
            args: self.args.clone(),
        }
    }

    /// Binds a value and returns its placeholder, e.g. `$3`.
    pub fn arg(&mut self, value: impl Into<Value>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
}

/// Builds a [`Sql`] from text with `$n` placeholders and its arguments.
macro_rules! sql {
    ($text:expr $(, $arg:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut sql = $crate::sql::Sql::new($text);
        $( sql.args.push($crate::sql::Value::from($arg)); )*
        sql
    }};
}
pub(crate) use sql;

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Value::Text(v) => query.bind(v),
                Value::Int(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
            };
        }
        query
    }};
}

/// Rows that both backends can decode.
pub(crate) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// Something a statement can run on: a pool or an open transaction.
pub(crate) enum Executor<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
    SqlitePool(&'a sqlx::SqlitePool),
    PostgresPool(&'a sqlx::PgPool),
}

macro_rules! dispatch {
    ($exec:expr, $sql:expr, |$q:ident, $e:ident| $body:expr, $mk:ident) => {
        match $exec {
            Executor::Sqlite($e) => {
                let $q = bind_all!(sqlx::$mk::<Sqlite, _>(&$sql.text), $sql.args);
                $body
            }
            Executor::SqlitePool($e) => {
                let $q = bind_all!(sqlx::$mk::<Sqlite, _>(&$sql.text), $sql.args);
                $body
            }
            Executor::Postgres($e) => {
                let $q = bind_all!(sqlx::$mk::<Postgres, _>(&$sql.text), $sql.args);
                $body
            }
            Executor::PostgresPool($e) => {
                let $q = bind_all!(sqlx::$mk::<Postgres, _>(&$sql.text), $sql.args);
                $body
            }
        }
    };
}

impl Executor<'_> {
    pub async fn all<T: Row>(self, sql: Sql) -> Result<Vec<T>> {
        Ok(dispatch!(self, sql, |q, e| q.fetch_all(e).await?, query_as))
    }

    pub async fn optional<T: Row>(self, sql: Sql) -> Result<Option<T>> {
        Ok(dispatch!(
            self,
            sql,
            |q, e| q.fetch_optional(e).await?,
            query_as
        ))
    }

    pub async fn one<T: Row>(self, sql: Sql) -> Result<T> {
        Ok(dispatch!(self, sql, |q, e| q.fetch_one(e).await?, query_as))
    }

    pub async fn execute(self, sql: Sql) -> Result<u64> {
        let sql_text = sql.text;
        let args = sql.args;
        Ok(match self {
            Executor::Sqlite(e) => bind_all!(sqlx::query::<Sqlite>(&sql_text), args)
                .execute(e)
                .await?
                .rows_affected(),
            Executor::SqlitePool(e) => bind_all!(sqlx::query::<Sqlite>(&sql_text), args)
                .execute(e)
                .await?
                .rows_affected(),
            Executor::Postgres(e) => bind_all!(sqlx::query::<Postgres>(&sql_text), args)
                .execute(e)
                .await?
                .rows_affected(),
            Executor::PostgresPool(e) => bind_all!(sqlx::query::<Postgres>(&sql_text), args)
                .execute(e)
                .await?
                .rows_affected(),
        })
    }
}

impl Store {
    pub(crate) fn exec(&self) -> Executor<'_> {
        match self {
            Store::Sqlite(db) => Executor::SqlitePool(&db.pool),
            Store::Postgres(pool) => Executor::PostgresPool(pool),
        }
    }
}

/// A single-column count.
#[derive(FromRow)]
pub(crate) struct Count {
    pub n: i64,
}

/// A single id.
#[derive(FromRow)]
pub(crate) struct Id {
    pub id: i64,
}

/// An audience column as its rank, from the one ordering of
/// [`Audience::ALL`]; a value not in it ranks above every viewer.
pub(crate) fn audience_rank(alias: &str) -> String {
    let cases: String = placeweave_domain::Audience::ALL
        .iter()
        .enumerate()
        .map(|(rank, audience)| format!(" WHEN '{}' THEN {rank}", audience.as_str()))
        .collect();
    format!(
        "(CASE {alias}.audience{cases} ELSE {} END)",
        placeweave_domain::Audience::ALL.len()
    )
}

/// The visibility condition on a table alias: its audience is no narrower
/// than the viewer may read. `$n` is the viewer's rank ([`crate::record::rank`]).
/// Both come from the one ordering of [`Audience::ALL`], which redaction
/// uses too; a value not in it is hidden from everyone.
pub(crate) fn visible(alias: &str, rank_placeholder: &str) -> String {
    format!("{} <= {rank_placeholder}", audience_rank(alias))
}

/// Record keys written into a statement as number literals, for `IN (…)`:
/// keys are integers the database gave, so nothing a person typed reaches
/// the text. Bound one by one, thousands of them made SQLite look each
/// placeholder up by name (quadratic: 0.3 s for 5,000 relationships) and
/// could pass the limits on bound values (32,766 in SQLite).
pub(crate) fn id_list(ids: &[i64]) -> String {
    let mut out = String::with_capacity(ids.len() * 8);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&id.to_string());
    }
    out
}
