//! When a record was last changed and where its facts come from, as a
//! record's page shows them ("Last updated 30 November 2026. Source: …").

/// The record types whose pages say when they were last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    Organisation,
    Mission,
    Role,
    Initiative,
}

/// A record's last change and its source, where either is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordUpdate {
    /// Unix time, seconds; none for records not changed since dates were kept.
    pub at: Option<i64>,
    /// Where the record's facts come from, in words.
    pub source: Option<String>,
}

impl RecordUpdate {
    /// The date of the last change in GOV.UK style ("30 November 2026").
    pub fn date(&self) -> Option<String> {
        self.at.map(long_date)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The (year, month, day) of a Unix time, in UTC (Howard Hinnant's
/// days-from-civil algorithm, inverted).
pub fn civil_date(unix_seconds: i64) -> (i64, u32, u32) {
    let days = unix_seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// A Unix time as a date in words, GOV.UK style: "1 April 2025".
pub fn long_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil_date(unix_seconds);
    let name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("");
    format!("{day} {name} {year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        assert_eq!(long_date(0), "1 January 1970");
        assert_eq!(long_date(951_782_400), "29 February 2000");
        assert_eq!(long_date(1_795_996_799), "29 November 2026");
        assert_eq!(long_date(1_795_996_800), "30 November 2026");
        assert_eq!(long_date(-86_400), "31 December 1969");
    }
}
