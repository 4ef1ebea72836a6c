//! Moving a place from SQLite to PostgreSQL: `placeweave copy`.
//!
//! The source must not be in use (the exclusive lock that `restore` takes)
//! and the target must be an empty PostgreSQL database. Every table is
//! copied inside one PostgreSQL transaction, read back, and compared with
//! the source by row count and a content digest before it commits: a copy
//! either arrives whole and verified or not at all.

use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{ConnectOptions, Connection, Postgres, QueryBuilder, Row};

use crate::database_file::ExclusiveLock;
use crate::error::{Result, StoreError};
use crate::migrations::LATEST_VERSION;
use crate::{Open, Store, redact_url};

/// Rows read from SQLite and inserted into PostgreSQL at a time.
const BATCH_ROWS: usize = 1_000;
/// PostgreSQL allows 65,535 bound parameters in one statement.
const MAX_PARAMETERS: usize = 65_000;

/// What arrived in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    /// Hex of the table's content digest, the same on both sides.
    pub digest: String,
}

/// What a copy did.
#[derive(Debug, Clone)]
pub struct CopyReport {
    pub schema_version: i64,
    pub tables: Vec<TableCopy>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

fn copy_error(message: impl Into<String>) -> StoreError {
    StoreError::Copy(message.into())
}

/// The PostgreSQL types the schema uses; the copy converts SQLite's values
/// to exactly these, so a new type in a migration fails loudly here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    BigInt,
    Integer,
    Boolean,
    Text,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: ColumnType,
    identity: bool,
}

/// One value on its way across, in the target's type.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    BigInt(Option<i64>),
    Integer(Option<i32>),
    Boolean(Option<bool>),
    Text(Option<String>),
}

impl Cell {
    /// A stable, unambiguous encoding for the digest.
    fn feed(&self, hash: &mut Sha256) {
        let (tag, bytes): (u8, Option<Vec<u8>>) = match self {
            Cell::BigInt(v) => (b'i', v.map(|v| v.to_be_bytes().to_vec())),
            Cell::Integer(v) => (b'i', v.map(|v| i64::from(v).to_be_bytes().to_vec())),
            Cell::Boolean(v) => (b'b', v.map(|v| vec![u8::from(v)])),
            Cell::Text(v) => (b't', v.as_ref().map(|v| v.as_bytes().to_vec())),
        };
        match bytes {
            None => hash.update([b'n']),
            Some(bytes) => {
                hash.update([tag]);
                hash.update((bytes.len() as u64).to_be_bytes());
                hash.update(&bytes);
            }
        }
    }
}

/// A digest of a table's rows that does not depend on their order (tables
/// keyed by several columns have no common order on both sides) but does
/// count duplicates: the sum, modulo 2^256, of each row's SHA-256.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct TableDigest {
    sum: [u64; 4],
    rows: u64,
}

impl TableDigest {
    fn add(&mut self, row: &[Cell]) {
        let mut hash = Sha256::new();
        for cell in row {
            cell.feed(&mut hash);
        }
        let bytes = hash.finalize();
        let mut carry = 0u128;
        for (i, limb) in self.sum.iter_mut().enumerate() {
            let mut part = [0u8; 8];
            part.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            let total = u128::from(*limb) + u128::from(u64::from_le_bytes(part)) + carry;
            *limb = total as u64;
            carry = total >> 64;
        }
        self.rows += 1;
    }

    fn hex(&self) -> String {
        self.sum
            .iter()
            .rev()
            .map(|limb| format!("{limb:016x}"))
            .collect()
    }
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Copies every table of the SQLite database at `from` into the empty
/// PostgreSQL database at `to_url`, which is migrated first.
pub async fn copy_sqlite_to_postgres(from: &Path, to_url: &str) -> Result<CopyReport> {
    if !from.is_file() {
        return Err(StoreError::NoDatabase(from.to_path_buf()));
    }
    // Nothing may write to the source while it is read.
    let _lock = ExclusiveLock::take(from)?;
    let mut source = SqliteConnectOptions::new()
        .filename(from)
        .read_only(true)
        .connect()
        .await
        .map_err(|source| StoreError::Connect {
            target: from.display().to_string(),
            source,
        })?;
    let copied = copy_from(&mut source, from, to_url).await;
    let _ = source.close().await;
    copied
}

async fn copy_from(source: &mut SqliteConnection, from: &Path, to_url: &str) -> Result<CopyReport> {
    let schema_version = source_version(source, from).await?;
    let target = Store::open(to_url, Open::Existing).await?;
    let Store::Postgres(pool) = &target else {
        target.close().await;
        return Err(copy_error(format!(
            "{} is not a postgres:// URL: copy moves a SQLite database to PostgreSQL",
            redact_url(to_url)
        )));
    };
    let pool = pool.clone();
    let copied = async {
        target.migrate().await?;
        let tables = source_tables(source).await?;
        let mut tx = pool.begin().await?;
        refuse_unless_empty(&mut tx, &tables, to_url).await?;
        let mut report = Vec::with_capacity(tables.len());
        for table in &tables {
            report.push(copy_table(source, &mut tx, table).await?);
        }
        tx.commit().await?;
        crate::write::committed();
        Ok(CopyReport {
            schema_version,
            tables: report,
        })
    }
    .await;
    target.close().await;
    copied
}

async fn source_version(source: &mut SqliteConnection, from: &Path) -> Result<i64> {
    let not_placeweave = |_| {
        copy_error(format!(
            "{} is not a placeweave database (or it is damaged): nothing was copied",
            from.display()
        ))
    };
    let (check,): (String,) = sqlx::query_as("PRAGMA quick_check(1)")
        .fetch_one(&mut *source)
        .await
        .map_err(not_placeweave)?;
    if check != "ok" {
        return Err(copy_error(format!(
            "{} fails SQLite's integrity check ({check}): nothing was copied",
            from.display()
        )));
    }
    let (version,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *source)
            .await
            .map_err(not_placeweave)?;
    match version {
        Some(v) if v == LATEST_VERSION => Ok(v),
        Some(v) if v < LATEST_VERSION => Err(copy_error(format!(
            "{} is at schema version {v}; bring it up to date first with `placeweave migrate --database-url sqlite://{}`",
            from.display(),
            from.display()
        ))),
        Some(v) => Err(copy_error(format!(
            "{} was made by a newer placeweave (schema version {v}; this one knows up to {LATEST_VERSION}): upgrade placeweave first",
            from.display()
        ))),
        None => Err(not_placeweave(sqlx::Error::RowNotFound)),
    }
}

/// The source's tables in the order they were created, which is an order
/// in which every foreign key points backwards. The full-text index (a
/// virtual table and its shadow tables) is SQLite's own: PostgreSQL computes
/// its search terms from the copied documents.
async fn source_tables(source: &mut SqliteConnection) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_list t \
         ON t.name = m.name AND t.schema = 'main' AND t.type = 'table' \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '_sqlx_migrations' ORDER BY m.rowid",
    )
    .fetch_all(&mut *source)
    .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

async fn refuse_unless_empty(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    tables: &[String],
    to_url: &str,
) -> Result<()> {
    for table in tables {
        let (exists,): (bool,) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = $1)",
        )
        .bind(table)
        .fetch_one(&mut **tx)
        .await?;
        if !exists {
            return Err(copy_error(format!(
                "table {table} is missing from {}: nothing was copied",
                redact_url(to_url)
            )));
        }
        let (any,): (bool,) =
            sqlx::query_as(&format!("SELECT EXISTS (SELECT 1 FROM {})", quote(table)))
                .fetch_one(&mut **tx)
                .await?;
        if any {
            return Err(copy_error(format!(
                "{} already holds data (table {table} is not empty): copy only into an empty database; nothing was copied",
                redact_url(to_url)
            )));
        }
    }
    Ok(())
}

async fn target_columns(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
) -> Result<Vec<Column>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, is_identity::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' \
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|(name, data_type, identity)| {
            let kind = match data_type.as_str() {
                "bigint" => ColumnType::BigInt,
                "integer" => ColumnType::Integer,
                "boolean" => ColumnType::Boolean,
                "text" => ColumnType::Text,
                other => {
                    return Err(copy_error(format!(
                        "{table}.{name} has type {other}, which copy does not know: nothing was copied"
                    )));
                }
            };
            Ok(Column {
                name,
                kind,
                identity: identity == "YES",
            })
        })
        .collect()
}

async fn check_same_columns(
    source: &mut SqliteConnection,
    table: &str,
    columns: &[Column],
) -> Result<()> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(&mut *source)
        .await?;
    let mut in_source: Vec<String> = rows.into_iter().map(|(n,)| n).collect();
    let mut in_target: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    in_source.sort();
    in_target.sort();
    if in_source != in_target {
        return Err(copy_error(format!(
            "table {table} has columns ({}) in SQLite but ({}) in PostgreSQL: nothing was copied",
            in_source.join(", "),
            in_target.join(", ")
        )));
    }
    Ok(())
}

fn sqlite_cell(row: &SqliteRow, index: usize, column: &Column, table: &str) -> Result<Cell> {
    let unreadable = |e: sqlx::Error| {
        copy_error(format!(
            "{table}.{}: a value SQLite holds is not a {:?} ({e}): nothing was copied",
            column.name, column.kind
        ))
    };
    Ok(match column.kind {
        ColumnType::BigInt => Cell::BigInt(row.try_get(index).map_err(unreadable)?),
        ColumnType::Integer => {
            let wide: Option<i64> = row.try_get(index).map_err(unreadable)?;
            let narrow = wide.map(i32::try_from).transpose().map_err(|_| {
                copy_error(format!(
                    "{table}.{}: {} does not fit PostgreSQL's integer: nothing was copied",
                    column.name,
                    wide.unwrap_or_default()
                ))
            })?;
            Cell::Integer(narrow)
        }
        ColumnType::Boolean => Cell::Boolean(row.try_get(index).map_err(unreadable)?),
        ColumnType::Text => Cell::Text(row.try_get(index).map_err(unreadable)?),
    })
}

fn postgres_cell(row: &PgRow, index: usize, column: &Column) -> Result<Cell> {
    Ok(match column.kind {
        ColumnType::BigInt => Cell::BigInt(row.try_get(index)?),
        ColumnType::Integer => Cell::Integer(row.try_get(index)?),
        ColumnType::Boolean => Cell::Boolean(row.try_get(index)?),
        ColumnType::Text => Cell::Text(row.try_get(index)?),
    })
}

async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
    columns: &[Column],
    rows: Vec<Vec<Cell>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let mut insert = QueryBuilder::<Postgres>::new(format!(
        "INSERT INTO {} ({}) ",
        quote(table),
        names.join(", ")
    ));
    insert.push_values(rows, |mut values, row| {
        for cell in row {
            match cell {
                Cell::BigInt(v) => values.push_bind(v),
                Cell::Integer(v) => values.push_bind(v),
                Cell::Boolean(v) => values.push_bind(v),
                Cell::Text(v) => values.push_bind(v),
            };
        }
    });
    insert.build().execute(&mut **tx).await?;
    Ok(())
}

async fn copy_table(
    source: &mut SqliteConnection,
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
) -> Result<TableCopy> {
    let columns = target_columns(tx, table).await?;
    check_same_columns(source, table, &columns).await?;
    let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let list = list.join(", ");
    let batch = BATCH_ROWS.min(MAX_PARAMETERS / columns.len().max(1));

    // Read in rowid order, a batch at a time, so that memory stays flat.
    let select = format!(
        "SELECT rowid AS copy_rowid, {list} FROM {} WHERE rowid > ? ORDER BY rowid LIMIT ?",
        quote(table)
    );
    let mut sent = TableDigest::default();
    let mut after = i64::MIN;
    loop {
        let rows: Vec<SqliteRow> = sqlx::query(&select)
            .bind(after)
            .bind(batch as i64)
            .fetch_all(&mut *source)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get(0)?;
        let mut cells = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut out = Vec::with_capacity(columns.len());
            for (i, column) in columns.iter().enumerate() {
                out.push(sqlite_cell(row, i + 1, column, table)?);
            }
            sent.add(&out);
            cells.push(out);
        }
        insert_rows(tx, table, &columns, cells).await?;
    }

    // Identity columns continue after the highest copied id.
    for column in columns.iter().filter(|c| c.identity) {
        let name = quote(&column.name);
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({name}), 0) + 1, false) FROM {}",
            quote(table)
        ))
        .bind(quote(table))
        .bind(&column.name)
        .execute(&mut **tx)
        .await?;
    }

    // Read back what arrived and compare, before anything commits.
    let mut arrived = TableDigest::default();
    let rows: Vec<PgRow> = sqlx::query(&format!("SELECT {list} FROM {}", quote(table)))
        .fetch_all(&mut **tx)
        .await?;
    for row in &rows {
        let mut out = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            out.push(postgres_cell(row, i, column)?);
        }
        arrived.add(&out);
    }
    if arrived != sent {
        return Err(copy_error(format!(
            "table {table}: {} rows read from SQLite but {} arrived, or their content differs (digest {} against {}): nothing was copied",
            sent.rows,
            arrived.rows,
            sent.hex(),
            arrived.hex()
        )));
    }
    Ok(TableCopy {
        table: table.to_string(),
        rows: sent.rows,
        digest: sent.hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_ignores_order_but_counts_duplicates() {
        let a = vec![Cell::BigInt(Some(1)), Cell::Text(Some("a".into()))];
        let b = vec![Cell::BigInt(Some(2)), Cell::Text(None)];
        let mut one = TableDigest::default();
        one.add(&a);
        one.add(&b);
        let mut other = TableDigest::default();
        other.add(&b);
        other.add(&a);
        assert_eq!(one, other);
        let mut twice = other;
        twice.add(&a);
        assert_ne!(one.hex(), twice.hex());
        // NULL and the empty string differ.
        let mut empty = TableDigest::default();
        empty.add(&[Cell::Text(Some(String::new()))]);
        let mut null = TableDigest::default();
        null.add(&[Cell::Text(None)]);
        assert_ne!(empty, null);
    }
}
