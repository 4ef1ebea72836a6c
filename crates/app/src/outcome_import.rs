//! Reading a file of measure values (CSV, or an Excel workbook's first
//! sheet) into numbered rows of cells, refusing a file whose header is not
//! the expected columns. The file is read within the limits of
//! [`Limits::MEASURE_VALUES`].

use crate::outcome::{RowError, VALUE_COLUMNS};
use crate::upload::{self, Fault, Limits, Row};

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

fn file_error(message: String) -> Vec<RowError> {
    vec![RowError {
        line: 1,
        field: "file".into(),
        message,
    }]
}

/// The rows of a file after its header, with their line numbers: an
/// Excel workbook (XLSX, told by the ZIP signature it starts with), else CSV.
pub(crate) fn rows(file: &[u8]) -> Result<Rows, Vec<RowError>> {
    let limits = Limits::MEASURE_VALUES;
    let read = if file.starts_with(b"PK\x03\x04") {
        upload::workbook_rows(file, VALUE_COLUMNS.len(), &limits)
    } else {
        upload::csv_rows(file, VALUE_COLUMNS.len(), &limits)
    };
    numbered(read.map_err(|refused| file_error(refused.to_string()))?)
}

/// The rows after the first (the header), or every row that could not be
/// read. A row whose cells are all empty is skipped.
fn numbered(read: Vec<Row>) -> Result<Rows, Vec<RowError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut header = true;
    for Row { line, cells, fault } in read {
        match fault {
            Some(Fault::SpreadsheetError(column)) => errors.push(RowError {
                line,
                field: VALUE_COLUMNS.get(column).unwrap_or(&"file").to_string(),
                message: "This cell holds a spreadsheet error (like #DIV/0!), not a value".into(),
            }),
            Some(Fault::NotCsv) => errors.push(RowError {
                line,
                field: "file".into(),
                message: "This line is not valid CSV (or not UTF-8 text)".into(),
            }),
            None if header => {
                check_header(&cells)?;
                header = false;
            }
            None if cells.iter().any(|c| !c.trim().is_empty()) => rows.push((line, cells)),
            None => {}
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
