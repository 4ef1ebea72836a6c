//! Signals, measures and their values: reading, creating, editing, entering
//! a value and importing a file of values (all or nothing).

use std::collections::{HashMap, HashSet};

use placeweave_domain::outcome::{MeasureValue, Trend, apply_to_measure, apply_to_signal, trend};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{
    Action, Audience, Direction, FieldError, Measure, OutcomeSignal, Resource, Target,
};
use placeweave_store::Write;
use placeweave_store::outcome::MeasuresOf;

use crate::account::Operator;
use crate::record::slug_record;
use crate::{App, AppError, Result, Scope};

slug_record!(
    OutcomeSignal,
    Resource::OutcomeSignal,
    name,
    apply: apply_to_signal,
    load: outcome_signal,
    insert: create_outcome_signal,
    save: update_outcome_signal,
    blank: OutcomeSignal {
        id: String::new(),
        theme: RecordRef { id: String::new(), name: String::new() },
        name: String::new(),
        description: None,
        audience: Audience::Public,
        version: 0,
    }
);

slug_record!(
    Measure,
    Resource::Measure,
    name,
    apply: apply_to_measure,
    load: measure,
    insert: create_measure,
    save: update_measure,
    blank: Measure {
        id: String::new(),
        signal: RecordRef { id: String::new(), name: String::new() },
        name: String::new(),
        unit: String::new(),
        direction: Direction::Higher,
        source: None,
        source_url: None,
        licence: None,
        audience: Audience::Public,
        version: 0,
    }
);

/// A measure with its values and trend, as its page shows it.
pub struct MeasureDetail {
    pub measure: Measure,
    pub values: Vec<MeasureValue>,
    pub trend: Option<Trend>,
}

/// The columns of a file of measure values, in order.
pub const VALUE_COLUMNS: [&str; 5] = ["measure", "year", "ward", "value", "note"];

/// A file of values refused: every bad row, by line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file's line number, counting the header as 1.
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// How many bad rows a refusal lists; the rest are counted.
pub const ROWS_LISTED: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The first [`ROWS_LISTED`] bad rows, and how many more there were.
    #[error("the file has {} bad rows", .rows.len() + .more)]
    Rows { rows: Vec<RowError>, more: usize },
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    pub async fn outcome_signals(
        &self,
        scope: &Scope,
        theme: Option<&str>,
    ) -> Result<Vec<OutcomeSignal>> {
        Ok(self
            .store
            .outcome_signals(scope.key(), theme, None, scope.viewer())
            .await?)
    }

    pub async fn measures_of(&self, scope: &Scope, of: MeasuresOf<'_>) -> Result<Vec<Measure>> {
        Ok(self.store.measures(scope.key(), of, scope.viewer()).await?)
    }

    /// The measures of some themes (a mission's), each with its trend.
    pub async fn measure_details(
        &self,
        scope: &Scope,
        of: MeasuresOf<'_>,
    ) -> Result<Vec<MeasureDetail>> {
        let measures = self.measures_of(scope, of).await?;
        let values = self
            .store
            .measure_values(scope.key(), of, scope.viewer())
            .await?;
        Ok(measures
            .into_iter()
            .map(|measure| {
                let values: Vec<MeasureValue> = values
                    .iter()
                    .filter(|(m, _)| *m == measure.id)
                    .map(|(_, v)| v.clone())
                    .collect();
                MeasureDetail {
                    trend: trend(&values, measure.direction),
                    measure,
                    values,
                }
            })
            .collect())
    }

    /// The measures of a mission's outcome themes, each with its trend.
    pub async fn mission_measures(
        &self,
        scope: &Scope,
        mission: &placeweave_domain::Mission,
    ) -> Result<Vec<MeasureDetail>> {
        let mut all = Vec::new();
        for theme in &mission.outcome_themes {
            all.extend(
                self.measure_details(scope, MeasuresOf::Theme(&theme.id))
                    .await?,
            );
        }
        Ok(all)
    }

    /// One measure with its values; a hidden one is not found.
    pub async fn measure_detail(&self, scope: &Scope, slug: &str) -> Result<MeasureDetail> {
        self.measure_details(scope, MeasuresOf::Measure(slug))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)
    }

    /// Enters (or replaces) one value of a measure, from a form.
    pub async fn enter_measure_value(
        &self,
        scope: &Scope,
        measure: &str,
        year: &str,
        ward: &str,
        value: &str,
        note: &str,
    ) -> Result<()> {
        let found = self
            .store
            .measure(scope.key(), measure, scope.viewer())
            .await?
            .ok_or(AppError::NotFound)?;
        scope.require(
            Action::Update,
            &Target::new(Resource::Measure, found.audience, None),
        )?;
        let value = MeasureValue::parse(year, ward, value, note).map_err(AppError::Invalid)?;
        self.store
            .record_measure_values(&scope.write(Resource::Measure), &[(found.id, value)])
            .await?;
        Ok(())
    }

    /// Imports a CSV file of values for a signed-in
    /// member of staff: every bad row is reported and nothing is written
    /// unless every row is good.
    pub async fn import_measure_values(
        &self,
        scope: &Scope,
        file: &[u8],
    ) -> std::result::Result<usize, ImportError> {
        scope.require(Action::Update, &Target::kind(Resource::Measure))?;
        self.import_values(scope.write(Resource::Measure), file)
            .await
    }

    /// The same, from the command line, in the place with id `place`.
    pub async fn import_measure_values_as(
        &self,
        by: Operator<'_>,
        place: &str,
        file: &[u8],
    ) -> std::result::Result<usize, ImportError> {
        let Operator::CommandLine = by else {
            return Err(AppError::Forbidden.into());
        };
        let scope = self.command_line_scope(place).await?;
        self.import_values(scope.write(Resource::Measure), file)
            .await
    }

    async fn import_values(
        &self,
        write: Write<'static>,
        file: &[u8],
    ) -> std::result::Result<usize, ImportError> {
        let rows = crate::outcome_import::rows(file).map_err(refused)?;
        let visible: HashSet<String> = self
            .store
            .measures(write.place, MeasuresOf::All, write.viewer)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mut errors = Vec::new();
        let mut values = Vec::new();
        // Each measure, year and ward's first line: a second is refused.
        let mut seen: HashMap<(String, i32, Option<String>), usize> = HashMap::new();
        for (line, cells) in rows {
            let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or_default();
            let measure = cell(0).trim();
            if !visible.contains(measure) {
                errors.push(RowError {
                    line,
                    field: "measure".into(),
                    message: if measure.is_empty() {
                        "Enter the measure's id".into()
                    } else {
                        format!(
                            "There is no measure \"{}\"",
                            measure.chars().take(60).collect::<String>()
                        )
                    },
                });
            }
            match MeasureValue::parse(cell(1), cell(2), cell(3), cell(4)) {
                Ok(v) => {
                    let key = (measure.to_owned(), v.year, v.ward.clone());
                    if let Some(first) = seen.get(&key) {
                        errors.push(RowError {
                            line,
                            field: "year".into(),
                            message: format!(
                                "{} has two values for {} {} (the other is on line {first})",
                                measure.chars().take(60).collect::<String>(),
                                v.year,
                                v.ward.as_deref().unwrap_or("(whole place)")
                            ),
                        });
                    } else {
                        seen.insert(key, line);
                    }
                    values.push((measure.to_owned(), v));
                }
                Err(e) => {
                    errors.extend(e.into_iter().map(|FieldError { field, message }| RowError {
                        line,
                        field,
                        message,
                    }))
                }
            }
        }
        if values.is_empty() && errors.is_empty() {
            errors.push(RowError {
                line: 1,
                field: "file".into(),
                message: "The file has no rows of values".into(),
            });
        }
        if !errors.is_empty() {
            return Err(refused(errors));
        }
        Ok(self
            .store
            .record_measure_values(&write, &values)
            .await
            .map_err(AppError::from)?)
    }
}

/// A refusal listing the first [`ROWS_LISTED`] bad rows in line order and
/// counting the rest, so that a file of a million bad rows answers with a
/// page, not a million lines.
fn refused(mut errors: Vec<RowError>) -> ImportError {
    errors.sort_by_key(|e| e.line);
    let more = errors.len().saturating_sub(ROWS_LISTED);
    errors.truncate(ROWS_LISTED);
    ImportError::Rows { rows: errors, more }
}
