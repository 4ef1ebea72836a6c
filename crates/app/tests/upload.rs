//! Hostile files of measure values, built here byte by byte: a workbook
//! whose sheet claims every cell, one of too many rows, shared strings
//! that unpack to far more than the file or claim billions, parts that
//! together unpack too far, a CSV file of too many rows or bytes. Each is
//! refused with the limit it passed, or read cell by cell, quickly and in
//! little memory; a file of many bad rows lists the first hundred and
//! counts the rest. Runs on SQLite, and on PostgreSQL when
//! `PLACEWEAVE_TEST_POSTGRES` is set.

use std::io::Write;

use placeweave_app::outcome::{ImportError, ROWS_LISTED, RowError};
use placeweave_app::{App, Operator};
use placeweave_store::{camden, testing};
use zip::write::SimpleFileOptions;

const MEASURE: &str = "healthy-life-expectancy";

async fn camden() -> (testing::TestDatabase, App) {
    let db = testing::database().await.expect("database");
    camden::ensure(&db.store).await.expect("camden");
    let app = App::new(db.store.clone());
    (db, app)
}

async fn import(app: &App, file: &[u8]) -> Result<usize, (Vec<RowError>, usize)> {
    match app
        .import_measure_values_as(Operator::CommandLine, camden::PLACE_SLUG, file)
        .await
    {
        Ok(n) => Ok(n),
        Err(ImportError::Rows { rows, more }) => Err((rows, more)),
        Err(ImportError::App(e)) => panic!("refused: {e}"),
    }
}

/// The one line a refused file is refused with.
async fn refusal(app: &App, file: &[u8]) -> String {
    match import(app, file).await {
        Ok(n) => panic!("imported {n} values"),
        Err((rows, more)) => {
            assert_eq!((rows.len(), more), (1, 0), "{rows:?}");
            assert_eq!((rows[0].line, rows[0].field.as_str()), (1, "file"));
            rows[0].message.clone()
        }
    }
}

/// A workbook of these parts besides the workbook's own, its first sheet
/// `sheet` (the XML inside `<sheetData>`), after `dimension`.
fn workbook(dimension: &str, sheet: &[u8], parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, bytes: &[&[u8]]| {
        zip.start_file(name, options).expect("part");
        for b in bytes {
            zip.write_all(b).expect("written");
        }
    };
    part(
        "xl/workbook.xml",
        &[br#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Values" sheetId="1" r:id="rId1"/></sheets></workbook>"#],
    );
    part(
        "xl/_rels/workbook.xml.rels",
        &[br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#],
    );
    let head = format!(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <dimension ref=\"{dimension}\"/><sheetData>"
    );
    part(
        "xl/worksheets/sheet1.xml",
        &[head.as_bytes(), sheet, b"</sheetData></worksheet>"],
    );
    for (name, bytes) in parts {
        part(name, &[bytes]);
    }
    zip.finish().expect("zipped").into_inner()
}

/// A row of inline strings.
fn row(r: usize, cells: &[&str]) -> String {
    let mut xml = format!("<row r=\"{r}\">");
    for (c, text) in cells.iter().enumerate() {
        let column = char::from(b'A' + u8::try_from(c).expect("column"));
        xml += &format!("<c r=\"{column}{r}\" t=\"inlineStr\"><is><t>{text}</t></is></c>");
    }
    xml + "</row>"
}

fn header() -> String {
    row(1, &["measure", "year", "ward", "value", "note"])
}

#[tokio::test]
async fn a_sheet_claiming_every_cell_is_read_cell_by_cell() {
    let (_db, app) = camden().await;
    let sheet = header() + &row(2, &[MEASURE, "2021", "", "60.5", ""]);
    let file = workbook("A1:XFD1048576", sheet.as_bytes(), &[]);
    assert!(file.len() < 4096, "a tiny file: {} bytes", file.len());
    assert_eq!(import(&app, &file).await, Ok(1));
}

#[tokio::test]
async fn a_workbook_of_many_rows_is_refused_by_its_row_or_cell_limit() {
    let (_db, app) = camden().await;
    // Rows each with a value, down past the limit.
    let mut sheet = header();
    for r in 2..=100_000 {
        sheet += &format!("<row r=\"{r}\"><c r=\"C{r}\"><v>1</v></c></row>");
    }
    let file = workbook("A1:E100000", sheet.as_bytes(), &[]);
    assert!(file.len() < 4 << 20, "{} bytes", file.len());
    assert_eq!(
        refusal(&app, &file).await,
        "The file has more than 50,000 rows"
    );
    // Rows of empty cells.
    let mut sheet = header();
    for r in 2..=520_000 {
        sheet += &format!("<row r=\"{r}\"><c r=\"A{r}\"/></row>");
    }
    let file = workbook("A1:A520000", sheet.as_bytes(), &[]);
    assert!(file.len() < 4 << 20, "{} bytes", file.len());
    assert_eq!(
        refusal(&app, &file).await,
        "The file has more than 500,000 cells"
    );
}

#[tokio::test]
async fn a_file_of_many_bad_rows_lists_the_first_hundred_and_counts_the_rest() {
    let (_db, app) = camden().await;
    let mut sheet = header();
    for r in 2..=20_001 {
        sheet += &row(r, &[MEASURE, "twenty", "", "1", ""]);
    }
    let file = workbook("A1:E20001", sheet.as_bytes(), &[]);
    let Err((rows, more)) = import(&app, &file).await else {
        panic!("refused");
    };
    assert_eq!(rows.len(), ROWS_LISTED);
    assert_eq!(more, 20_000 - ROWS_LISTED);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[ROWS_LISTED - 1].line, ROWS_LISTED + 1, "in line order");

    let mut csv = String::from("measure,year,ward,value,note\n");
    for _ in 0..150 {
        csv += &format!("{MEASURE},twenty,,1,\n");
    }
    let Err((rows, more)) = import(&app, csv.as_bytes()).await else {
        panic!("refused");
    };
    assert_eq!((rows.len(), more), (ROWS_LISTED, 50));
}

#[tokio::test]
async fn shared_strings_that_unpack_too_far_or_claim_too_many_are_refused() {
    let (_db, app) = camden().await;
    let sheet = header();
    // 30 MB of one string, a few tens of KB packed.
    let mut strings = b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
        count=\"1\" uniqueCount=\"1\"><si><t>"
        .to_vec();
    strings.extend(std::iter::repeat_n(b'A', 30 << 20));
    strings.extend_from_slice(b"</t></si></sst>");
    let file = workbook(
        "A1:E1",
        sheet.as_bytes(),
        &[("xl/sharedStrings.xml", &strings)],
    );
    assert!(file.len() < 1 << 20, "{} bytes", file.len());
    assert_eq!(
        refusal(&app, &file).await,
        "The workbook's shared strings table is larger than 20 MB once unpacked"
    );

    // A count the reader would reserve room for, in a tiny file.
    let claimed = b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
        count=\"4000000000\" uniqueCount=\"4000000000\"><si><t>measure</t></si></sst>";
    let file = workbook(
        "A1:E1",
        sheet.as_bytes(),
        &[("xl/sharedStrings.xml", claimed)],
    );
    assert_eq!(
        refusal(&app, &file).await,
        "The workbook has more than 100,000 shared strings"
    );

    // Many small strings.
    let mut many =
        b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">".to_vec();
    for _ in 0..100_001 {
        many.extend_from_slice(b"<si><t/></si>");
    }
    many.extend_from_slice(b"</sst>");
    let file = workbook(
        "A1:E1",
        sheet.as_bytes(),
        &[("xl/sharedStrings.xml", &many)],
    );
    assert_eq!(
        refusal(&app, &file).await,
        "The workbook has more than 100,000 shared strings"
    );
}

#[tokio::test]
async fn parts_that_together_unpack_too_far_are_refused() {
    let (_db, app) = camden().await;
    let filler = vec![b' '; 18 << 20];
    let file = workbook(
        "A1:E1",
        header().as_bytes(),
        &[
            ("docProps/one.xml", &filler),
            ("docProps/two.xml", &filler),
            ("docProps/three.xml", &filler),
        ],
    );
    assert_eq!(
        refusal(&app, &file).await,
        "The workbook is larger than 50 MB once unpacked"
    );
}

#[tokio::test]
async fn a_csv_file_of_too_many_rows_or_bytes_is_refused_by_name() {
    let (_db, app) = camden().await;
    let mut csv = String::from("measure,year,ward,value,note\n");
    for year in 0..60_000 {
        csv += &format!("{MEASURE},{year},,1,\n");
    }
    assert!(csv.len() < 4 << 20);
    assert_eq!(
        refusal(&app, csv.as_bytes()).await,
        "The file has more than 50,000 rows"
    );
    let mut big = String::from("measure,year,ward,value,note\n");
    big += &format!("{MEASURE},2020,,1,{}\n", "x".repeat(5 << 20));
    assert_eq!(
        refusal(&app, big.as_bytes()).await,
        "The file is larger than 4 MB"
    );
}
