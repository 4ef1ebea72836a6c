//! Reading a CSV file of measure values into numbered rows of cells,
//! refusing a file whose header is not the expected columns.

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

/// The rows of a CSV file after its header, with their line numbers.
pub(crate) fn csv_rows(file: &[u8]) -> Result<Rows, Vec<RowError>> {
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
