//! Reading a file of measure values (CSV, or an Excel workbook's first
//! sheet) into numbered rows of cells, refusing a file whose header is not
//! the expected columns.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::outcome::{RowError, VALUE_COLUMNS};

type Rows = Vec<(usize, Vec<String>)>;

fn header_error(found: &[String]) -> Vec<RowError> {
    vec![RowError {
        line: 1,
        field: "file".into(),
        message: format!(
            "The first row must name the columns {} (found: {})",
            VALUE_COLUMNS.join(", "),
            found.join(", ")
        ),
    }]
}

fn check_header(header: &[String]) -> Result<(), Vec<RowError>> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if names.len() >= VALUE_COLUMNS.len() - 1
        && names.iter().zip(VALUE_COLUMNS).all(|(h, c)| h == c)
    {
        Ok(())
    } else {
        Err(header_error(header))
    }
}

/// The rows of a file after its header, with their line numbers: an
/// Excel workbook (XLSX, told by the ZIP signature it starts with), else CSV.
pub(crate) fn rows(file: &[u8]) -> Result<Rows, Vec<RowError>> {
    if file.starts_with(b"PK\x03\x04") {
        xlsx_rows(file)
    } else {
        csv_rows(file)
    }
}

fn file_error(message: String) -> Vec<RowError> {
    vec![RowError {
        line: 1,
        field: "file".into(),
        message,
    }]
}

/// The first sheet of a workbook, its rows numbered as the spreadsheet
/// numbers them. A cell holding a spreadsheet error (`#DIV/0!`) is named.
fn xlsx_rows(file: &[u8]) -> Result<Rows, Vec<RowError>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(file)).map_err(|e| {
        file_error(format!(
            "This is not an Excel workbook (XLSX) that can be read: {e}"
        ))
    })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| file_error("The workbook has no sheets".into()))?
        .map_err(|e| file_error(format!("The first sheet cannot be read: {e}")))?;
    let first = range
        .start()
        .map_or(0, |(row, _)| usize::try_from(row).unwrap_or(0));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut header = true;
    for (i, row) in range.rows().enumerate() {
        let line = first + i + 1;
        if let Some(column) = row.iter().position(|c| matches!(c, Data::Error(_))) {
            errors.push(RowError {
                line,
                field: VALUE_COLUMNS.get(column).unwrap_or(&"file").to_string(),
                message: "This cell holds a spreadsheet error (like #DIV/0!), not a value".into(),
            });
            continue;
        }
        let cells: Vec<String> = row.iter().map(Data::to_string).collect();
        if header {
            check_header(&cells)?;
            header = false;
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push((line, cells));
        }
    }
    if header && errors.is_empty() {
        return Err(header_error(&[]));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The rows of a CSV file after its header, with their line numbers.
fn csv_rows(file: &[u8]) -> Result<Rows, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut header = true;
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                let cells: Vec<String> = r.iter().map(str::to_owned).collect();
                if header {
                    check_header(&cells)?;
                    header = false;
                } else if cells.iter().any(|c| !c.trim().is_empty()) {
                    rows.push((line, cells));
                }
            }
            Err(e) => errors.push(RowError {
                line: e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0)),
                field: "file".into(),
                message: "This line is not valid CSV (or not UTF-8 text)".into(),
            }),
        }
    }
    if header && errors.is_empty() {
        return Err(header_error(&[]));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}
