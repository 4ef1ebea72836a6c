//! Every file someone uploads or imports is read here, within limits: its
//! size, its rows and cells, what a workbook unpacks to (found by
//! unpacking, never by trusting the sizes the archive claims), how many
//! shared strings it declares and holds, and how long reading takes. A
//! file past a limit is refused with a sentence naming the limit, before
//! the work or memory it would cost is spent.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Cursor, Read};
use std::time::{Duration, Instant};

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook_from_rs};
use quick_xml::events::Event;

/// The most a file may hold, unpack to or cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file's own size.
    pub bytes: usize,
    /// Rows of a sheet or CSV file (for a Kumu project: its elements and
    /// connections together).
    pub rows: usize,
    /// Cells read, empty ones included.
    pub cells: usize,
    /// Parts (entries) of a workbook's archive.
    pub parts: usize,
    /// One part, unpacked.
    pub part_bytes: u64,
    /// All the parts together, unpacked.
    pub unpacked_bytes: u64,
    /// Shared strings a workbook declares or holds.
    pub shared_strings: usize,
    /// Time spent reading.
    pub time: Duration,
}

const MB: usize = 1 << 20;

impl Limits {
    /// A file of measure values: a few years of a few hundred measures by
    /// ward fits many times over.
    pub const MEASURE_VALUES: Limits = Limits {
        bytes: 4 * MB,
        rows: 50_000,
        cells: 500_000,
        parts: 200,
        part_bytes: 20 * MB as u64,
        unpacked_bytes: 50 * MB as u64,
        shared_strings: 100_000,
        time: Duration::from_secs(20),
    };

    /// A Kumu project export (JSON): far larger than the maps partnerships
    /// draw by hand.
    pub const KUMU: Limits = Limits {
        bytes: 20 * MB,
        rows: 200_000,
        cells: 0,
        parts: 0,
        part_bytes: 0,
        unpacked_bytes: 0,
        shared_strings: 0,
        time: Duration::from_secs(30),
    };
}

/// "20 MB", "512 KB".
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

/// "50,000".
pub(crate) fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Why a file was not read: the limit it went past, or what it is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("The file is larger than {}", size(*.0 as u64))]
    Bytes(usize),
    #[error("The file has more than {} rows", number(*.0))]
    Rows(usize),
    #[error("The file has more than {} cells", number(*.0))]
    Cells(usize),
    #[error("The workbook has more than {} parts", number(*.0))]
    Parts(usize),
    #[error("The workbook's {part} is larger than {} once unpacked", size(*.limit))]
    Part { part: String, limit: u64 },
    #[error("The workbook is larger than {} once unpacked", size(*.0))]
    Unpacked(u64),
    #[error("The workbook has more than {} shared strings", number(*.0))]
    SharedStrings(usize),
    #[error("The file took longer than {} seconds to read", .0.as_secs())]
    Time(Duration),
    #[error("This is not an Excel workbook (XLSX) that can be read: {0}")]
    NotWorkbook(String),
    #[error("The workbook has no sheets")]
    NoSheet,
}

/// Reads at most one byte more than `limits` allow, so that a file too
/// large is refused by [`within_bytes`] without being read whole.
pub fn read_capped(reader: impl Read, limits: &Limits) -> io::Result<Vec<u8>> {
    let mut file = Vec::new();
    let cap = u64::try_from(limits.bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader.take(cap).read_to_end(&mut file)?;
    Ok(file)
}

/// The file's size against the limit.
pub fn within_bytes(file: &[u8], limits: &Limits) -> Result<(), Refused> {
    if file.len() > limits.bytes {
        Err(Refused::Bytes(limits.bytes))
    } else {
        Ok(())
    }
}

/// When reading must stop.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    deadline: Instant,
    limit: Duration,
}

impl Clock {
    pub fn start(limits: &Limits) -> Clock {
        Clock {
            deadline: Instant::now() + limits.time,
            limit: limits.time,
        }
    }

    pub fn check(&self) -> Result<(), Refused> {
        if Instant::now() > self.deadline {
            Err(Refused::Time(self.limit))
        } else {
            Ok(())
        }
    }
}

/// A row of a sheet or CSV file, numbered as a spreadsheet numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub line: usize,
    /// The first columns' cells as text (as many as the reader was asked
    /// for; an empty cell is empty text).
    pub cells: Vec<String>,
    pub fault: Option<Fault>,
}

/// A row that has no values to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// A cell (this column) holds a spreadsheet error like `#DIV/0!`.
    SpreadsheetError(usize),
    /// The line is not CSV, or not UTF-8 text.
    NotCsv,
}

/// How each part of a workbook is named in a refusal.
fn part_name(normalised: &str, raw: &str) -> String {
    if normalised.starts_with("xl/worksheets/") {
        "sheet".into()
    } else if normalised.ends_with("sharedstrings.xml") {
        "shared strings table".into()
    } else if normalised == "xl/styles.xml" {
        "styles".into()
    } else {
        let name: String = raw.chars().filter(|c| !c.is_control()).take(60).collect();
        format!("part \"{name}\"")
    }
}

/// A part of the archive as it unpacks, stopping at the first limit it
/// passes (the refusal is kept, and the read fails).
struct Unpacking<'a, R> {
    inner: R,
    part: String,
    read: u64,
    total: &'a mut u64,
    limits: &'a Limits,
    clock: &'a Clock,
    refused: &'a RefCell<Option<Refused>>,
}

impl<R: Read> Unpacking<'_, R> {
    fn refuse(&self, refused: Refused) -> io::Error {
        let error = io::Error::other(refused.to_string());
        *self.refused.borrow_mut() = Some(refused);
        error
    }
}

impl<R: Read> Read for Unpacking<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Err(refused) = self.clock.check() {
            return Err(self.refuse(refused));
        }
        let n = self.inner.read(buf)?;
        let more = n as u64;
        self.read += more;
        *self.total += more;
        if self.read > self.limits.part_bytes {
            return Err(self.refuse(Refused::Part {
                part: self.part.clone(),
                limit: self.limits.part_bytes,
            }));
        }
        if *self.total > self.limits.unpacked_bytes {
            return Err(self.refuse(Refused::Unpacked(self.limits.unpacked_bytes)));
        }
        Ok(n)
    }
}

/// Counts the shared strings a part declares (`uniqueCount`, which the
/// spreadsheet reader would reserve room for) and holds.
fn count_shared_strings(part: impl Read, limits: &Limits) -> Result<(), Option<Refused>> {
    let too_many = || Some(Refused::SharedStrings(limits.shared_strings));
    let mut xml = quick_xml::Reader::from_reader(io::BufReader::new(part));
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut count = 0usize;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|_| None)? {
            Event::Start(e) if e.local_name().as_ref() == b"sst" => {
                for a in e.attributes().flatten() {
                    if a.key
                        .local_name()
                        .as_ref()
                        .eq_ignore_ascii_case(b"uniqueCount")
                    {
                        let declared = std::str::from_utf8(&a.value)
                            .ok()
                            .and_then(|v| v.trim().parse::<u128>().ok());
                        match declared {
                            Some(n) if n <= limits.shared_strings as u128 => {}
                            // Unreadable counts are ignored by the reader.
                            None => {}
                            Some(_) => return Err(too_many()),
                        }
                    }
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                count += 1;
                if count > limits.shared_strings {
                    return Err(too_many());
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Unpacks every part of a workbook, counting what it unpacks to, before
/// the spreadsheet reader is let near it.
fn check_workbook(file: &[u8], limits: &Limits, clock: &Clock) -> Result<(), Refused> {
    let not_workbook = |e: &dyn std::fmt::Display| Refused::NotWorkbook(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(file)).map_err(|e| not_workbook(&e))?;
    if archive.len() > limits.parts {
        return Err(Refused::Parts(limits.parts));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| not_workbook(&e))?;
        let raw = entry.name().to_owned();
        let normalised = raw.replace('\\', "/").to_ascii_lowercase();
        let refused = RefCell::new(None);
        let mut part = Unpacking {
            inner: entry,
            part: part_name(&normalised, &raw),
            read: 0,
            total: &mut total,
            limits,
            clock,
            refused: &refused,
        };
        let outcome = if normalised.ends_with("sharedstrings.xml") {
            count_shared_strings(&mut part, limits).and_then(|()| {
                io::copy(&mut part, &mut io::sink())
                    .map(|_| ())
                    .map_err(|_| None)
            })
        } else {
            io::copy(&mut part, &mut io::sink())
                .map(|_| ())
                .map_err(|_| None)
        };
        if let Err(found) = outcome {
            return Err(refused
                .into_inner()
                .or(found)
                .unwrap_or_else(|| not_workbook(&format!("its part \"{raw}\" cannot be read"))));
        }
    }
    Ok(())
}

/// The first sheet of a workbook, cell by cell (so that what the sheet
/// claims of its size allocates nothing), keeping the first `columns`
/// columns of each row that has a value.
pub(crate) fn workbook_rows(
    file: &[u8],
    columns: usize,
    limits: &Limits,
) -> Result<Vec<Row>, Refused> {
    within_bytes(file, limits)?;
    let clock = Clock::start(limits);
    check_workbook(file, limits, &clock)?;
    let not_workbook = |e: &dyn std::fmt::Display| Refused::NotWorkbook(e.to_string());
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(file)).map_err(|e| not_workbook(&e))?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(Refused::NoSheet)?;
    let mut reader = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| not_workbook(&e))?;
    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    let mut cells = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|e| not_workbook(&e))? {
        cells += 1;
        if cells > limits.cells {
            return Err(Refused::Cells(limits.cells));
        }
        if cells.is_multiple_of(256) {
            clock.check()?;
        }
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if usize::try_from(row).map_or(true, |r| r >= limits.rows) {
            return Err(Refused::Rows(limits.rows));
        }
        let column = usize::try_from(column).unwrap_or(usize::MAX);
        let entry = rows.entry(row).or_insert_with(|| Row {
            line: usize::try_from(row).unwrap_or(0) + 1,
            cells: Vec::new(),
            fault: None,
        });
        if matches!(value, DataRef::Error(_)) {
            entry.fault.get_or_insert(Fault::SpreadsheetError(column));
        } else if column < columns {
            if entry.cells.len() <= column {
                entry.cells.resize(column + 1, String::new());
            }
            entry.cells[column] = Data::from(value.clone()).to_string();
        }
    }
    Ok(rows.into_values().collect())
}

/// The records of a CSV file, keeping the first `columns` fields of each.
pub(crate) fn csv_rows(file: &[u8], columns: usize, limits: &Limits) -> Result<Vec<Row>, Refused> {
    within_bytes(file, limits)?;
    let clock = Clock::start(limits);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for record in reader.records() {
        if rows.len() >= limits.rows {
            return Err(Refused::Rows(limits.rows));
        }
        if rows.len().is_multiple_of(256) {
            clock.check()?;
        }
        let row = match record {
            Ok(r) => {
                cells += r.len();
                if cells > limits.cells {
                    return Err(Refused::Cells(limits.cells));
                }
                Row {
                    line: r
                        .position()
                        .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0)),
                    cells: r.iter().take(columns).map(str::to_owned).collect(),
                    fault: None,
                }
            }
            Err(e) => Row {
                line: e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0)),
                cells: Vec::new(),
                fault: Some(Fault::NotCsv),
            },
        };
        rows.push(row);
    }
    Ok(rows)
}
