//! Dates as people enter them: the GOV.UK date input's day, month and year,
//! joined into the ISO 8601 form stored and served by the API, and the
//! GOV.UK error messages for a date that is incomplete or not real.

/// Joins a day, month and year as typed into `YYYY-MM-DD`, padding one-digit
/// days and months; empty when all three are empty. What cannot be a date
/// stays as typed, so that checking it names what is wrong.
pub fn from_parts(day: &str, month: &str, year: &str) -> String {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return String::new();
    }
    let pad = |part: &str| {
        if part.len() == 1 && part.chars().all(|c| c.is_ascii_digit()) {
            format!("0{part}")
        } else {
            part.to_owned()
        }
    };
    format!("{year}-{}-{}", pad(month), pad(day))
}

/// A Unix time as an ISO 8601 date (UTC), the form dates are stored in.
pub fn iso_date(unix_seconds: i64) -> String {
    let (year, month, day) = crate::record_update::civil_date(unix_seconds);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day, month and year of a `YYYY-MM-DD` value (or one made by
/// [`from_parts`]), to show back in a date input.
pub fn parts(value: &str) -> (String, String, String) {
    let mut split = value.splitn(3, '-');
    let year = split.next().unwrap_or_default().to_owned();
    let month = split.next().unwrap_or_default().to_owned();
    let day = split.next().unwrap_or_default().to_owned();
    (day, month, year)
}

/// What is wrong with a date that is not real, in GOV.UK's words:
/// "Start date must include a month", "Start date must be a real date".
pub fn problem(label: &str, value: &str) -> String {
    // The date input always sends three parts; other shapes come from the
    // API, whose callers need the format.
    if value.matches('-').count() != 2 {
        return format!("{label} must be a real date, written year-month-day, like 2025-04-01");
    }
    let (day, month, year) = parts(value);
    let missing: Vec<&str> = [("day", &day), ("month", &month), ("year", &year)]
        .into_iter()
        .filter(|(_, part)| part.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
    match missing.as_slice() {
        [] => format!("{label} must be a real date"),
        [one] => format!("{label} must include a {one}"),
        [first, second] => format!("{label} must include a {first} and {second}"),
        _ => format!("Enter {}", label.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_join_padded_and_split_back() {
        assert_eq!(from_parts("1", "4", "2025"), "2025-04-01");
        assert_eq!(from_parts(" ", "", ""), "");
        assert_eq!(from_parts("31", "", "2025"), "2025--31");
        assert_eq!(
            parts("2025-04-01"),
            ("01".into(), "04".into(), "2025".into())
        );
        assert_eq!(parts(""), (String::new(), String::new(), String::new()));
    }

    #[test]
    fn problems_in_govuk_words() {
        assert_eq!(
            problem("Start date", "2025--31"),
            "Start date must include a month"
        );
        assert_eq!(
            problem("End date", "--31"),
            "End date must include a month and year"
        );
        assert_eq!(
            problem("Start date", "2025-02-30"),
            "Start date must be a real date"
        );
        assert_eq!(
            problem("Start date", "17/03/2014"),
            "Start date must be a real date, written year-month-day, like 2025-04-01"
        );
    }
}
