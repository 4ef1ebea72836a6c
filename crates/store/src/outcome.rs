//! Signals, measures and measure values: the outcomes framework below its
//! themes. A signal is hidden when its theme is; a measure when its signal
//! is; values follow their measure.

use placeweave_domain::outcome::MeasureValue;
use placeweave_domain::place::RecordRef;
use placeweave_domain::{Direction, Measure, OutcomeSignal, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::record::{
    Assignments, Write, audience, audit_change, next_position, rank, resolve, unix_now, versioned,
};
use crate::sql::{sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct SignalRow {
    slug: String,
    theme_slug: String,
    theme_name: String,
    name: String,
    description: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct MeasureRow {
    slug: String,
    signal_slug: String,
    signal_name: String,
    name: String,
    unit: String,
    direction: String,
    source: Option<String>,
    source_url: Option<String>,
    licence: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct ValueRow {
    measure: String,
    year: i64,
    ward: String,
    value: String,
    note: Option<String>,
}

/// What to narrow a list of measures to.
#[derive(Debug, Clone, Copy)]
pub enum MeasuresOf<'a> {
    All,
    Theme(&'a str),
    Signal(&'a str),
    Measure(&'a str),
}

impl Store {
    /// The signals the viewer may see, of one theme or all.
    pub async fn outcome_signals(
        &self,
        place: i64,
        theme: Option<&str>,
        slug: Option<&str>,
        viewer: Viewer,
    ) -> Result<Vec<OutcomeSignal>> {
        let mut sql = sql!(
            format!(
                "SELECT s.slug, t.slug AS theme_slug, t.name AS theme_name, s.name, s.description, \
                 s.audience, s.version FROM outcome_signal s JOIN outcome_theme t ON t.id = s.theme_id \
                 WHERE s.place_id = $1 AND {} AND {}",
                visible("s", "$2"),
                visible("t", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(theme) = theme {
            let a = sql.arg(theme);
            sql.push(&format!(" AND t.slug = {a}"));
        }
        if let Some(slug) = slug {
            let a = sql.arg(slug);
            sql.push(&format!(" AND s.slug = {a}"));
        }
        sql.push(" ORDER BY t.position, s.position, s.name");
        self.exec()
            .all::<SignalRow>(sql)
            .await?
            .into_iter()
            .map(|s| {
                Ok(OutcomeSignal {
                    id: s.slug,
                    theme: RecordRef {
                        id: s.theme_slug,
                        name: s.theme_name,
                    },
                    name: s.name,
                    description: s.description,
                    audience: audience(&s.audience)?,
                    version: s.version,
                })
            })
            .collect()
    }

    pub async fn outcome_signal(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<OutcomeSignal>> {
        Ok(self
            .outcome_signals(place, None, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    /// The measures the viewer may see (their signal and theme visible too).
    pub async fn measures(
        &self,
        place: i64,
        of: MeasuresOf<'_>,
        viewer: Viewer,
    ) -> Result<Vec<Measure>> {
        let mut sql = sql!(
            format!(
                "SELECT m.slug, s.slug AS signal_slug, s.name AS signal_name, m.name, m.unit, \
                 m.direction, m.source, m.source_url, m.licence, m.audience, m.version \
                 FROM measure m JOIN outcome_signal s ON s.id = m.signal_id \
                 JOIN outcome_theme t ON t.id = s.theme_id \
                 WHERE m.place_id = $1 AND {} AND {} AND {}",
                visible("m", "$2"),
                visible("s", "$2"),
                visible("t", "$2")
            ),
            place,
            rank(viewer)
        );
        let (column, value) = match of {
            MeasuresOf::All => ("", ""),
            MeasuresOf::Theme(v) => ("t", v),
            MeasuresOf::Signal(v) => ("s", v),
            MeasuresOf::Measure(v) => ("m", v),
        };
        if !column.is_empty() {
            let a = sql.arg(value);
            sql.push(&format!(" AND {column}.slug = {a}"));
        }
        sql.push(" ORDER BY t.position, s.position, m.position, m.name");
        self.exec()
            .all::<MeasureRow>(sql)
            .await?
            .into_iter()
            .map(|m| {
                Ok(Measure {
                    id: m.slug,
                    signal: RecordRef {
                        id: m.signal_slug,
                        name: m.signal_name,
                    },
                    name: m.name,
                    unit: m.unit,
                    direction: Direction::parse(&m.direction).ok_or_else(|| {
                        StoreError::Corrupt {
                            column: "measure.direction",
                            value: m.direction.clone(),
                        }
                    })?,
                    source: m.source,
                    source_url: m.source_url,
                    licence: m.licence,
                    audience: audience(&m.audience)?,
                    version: m.version,
                })
            })
            .collect()
    }

    pub async fn measure(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Measure>> {
        Ok(self
            .measures(place, MeasuresOf::Measure(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    /// The values of the measures the viewer may see, by measure slug, in
    /// year order, place-wide before wards.
    pub async fn measure_values(
        &self,
        place: i64,
        of: MeasuresOf<'_>,
        viewer: Viewer,
    ) -> Result<Vec<(String, MeasureValue)>> {
        let visible_ids: Vec<String> = self
            .measures(place, of, viewer)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mut sql = sql!(
            "SELECT m.slug AS measure, v.year, v.ward, v.value, v.note FROM measure_value v \
             JOIN measure m ON m.id = v.measure_id WHERE m.place_id = $1",
            place
        );
        if let MeasuresOf::Measure(slug) = of {
            let a = sql.arg(slug);
            sql.push(&format!(" AND m.slug = {a}"));
        }
        sql.push(" ORDER BY m.slug, v.year, v.ward");
        Ok(self
            .exec()
            .all::<ValueRow>(sql)
            .await?
            .into_iter()
            .filter(|v| visible_ids.contains(&v.measure))
            .map(|v| {
                (
                    v.measure,
                    MeasureValue {
                        year: i32::try_from(v.year).unwrap_or_default(),
                        ward: (!v.ward.is_empty()).then_some(v.ward),
                        value: v.value,
                        note: v.note,
                    },
                )
            })
            .collect())
    }

    pub async fn create_outcome_signal(&self, w: &Write<'_>, signal: &OutcomeSignal) -> Result<()> {
        let mut tx = self.begin().await?;
        let theme = resolve(&mut tx, w, "outcome_theme", "theme", &signal.theme.id).await?;
        let position = next_position(&mut tx, "outcome_signal", w.place).await?;
        tx.insert_outcome_signal(w.place, theme, signal, position)
            .await
            .map_err(|e| duplicate(e, || format!("a signal with id \"{}\"", signal.id)))?;
        let audited = audit_change(
            &mut tx,
            w,
            "outcome_signal",
            signal.id.clone(),
            None,
            signal,
        )
        .await?;
        tx.commit(audited).await
    }

    pub async fn update_outcome_signal(
        &self,
        w: &Write<'_>,
        before: &OutcomeSignal,
        after: &OutcomeSignal,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "outcome_signal", "signal", &before.id).await?;
        let theme = resolve(&mut tx, w, "outcome_theme", "theme", &after.theme.id).await?;
        let mut set = Assignments::new(w);
        set.set("theme", "theme_id", theme)
            .set("name", "name", after.name.as_str())
            .set("description", "description", after.description.clone())
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "outcome_signal", id, after.version, set).await?;
        let audited = audit_change(
            &mut tx,
            w,
            "outcome_signal",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }

    pub async fn create_measure(&self, w: &Write<'_>, measure: &Measure) -> Result<()> {
        let mut tx = self.begin().await?;
        let signal = resolve(&mut tx, w, "outcome_signal", "signal", &measure.signal.id).await?;
        let position = next_position(&mut tx, "measure", w.place).await?;
        tx.insert_measure(w.place, signal, measure, position)
            .await
            .map_err(|e| duplicate(e, || format!("a measure with id \"{}\"", measure.id)))?;
        let audited =
            audit_change(&mut tx, w, "measure", measure.id.clone(), None, measure).await?;
        tx.commit(audited).await
    }

    pub async fn update_measure(
        &self,
        w: &Write<'_>,
        before: &Measure,
        after: &Measure,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "measure", "measure", &before.id).await?;
        let signal = resolve(&mut tx, w, "outcome_signal", "signal", &after.signal.id).await?;
        let mut set = Assignments::new(w);
        set.set("signal", "signal_id", signal)
            .set("name", "name", after.name.as_str())
            .set("unit", "unit", after.unit.as_str())
            .set("direction", "direction", after.direction.as_str())
            .set("source", "source", after.source.clone())
            .set("source_url", "source_url", after.source_url.clone())
            .set("licence", "licence", after.licence.clone())
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "measure", id, after.version, set).await?;
        let audited = audit_change(
            &mut tx,
            w,
            "measure",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }

    /// Records values (measure slug and value), replacing any for the same
    /// measure, year and ward, all in one transaction: a measure the writer
    /// cannot see fails the lot, naming it.
    pub async fn record_measure_values(
        &self,
        w: &Write<'_>,
        values: &[(String, MeasureValue)],
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut measures: Vec<(String, i64)> = Vec::new();
        for (slug, value) in values {
            let id = match measures.iter().find(|(s, _)| s == slug) {
                Some((_, id)) => *id,
                None => {
                    let id = resolve(&mut tx, w, "measure", "measure", slug).await?;
                    measures.push((slug.clone(), id));
                    id
                }
            };
            let ward = value.ward.clone().unwrap_or_default();
            tx.exec()
                .execute(sql!(
                    "DELETE FROM measure_value WHERE measure_id = $1 AND year = $2 AND ward = $3",
                    id,
                    i64::from(value.year),
                    ward.as_str()
                ))
                .await?;
            tx.exec()
                .execute(sql!(
                    "INSERT INTO measure_value (measure_id, year, ward, value, note) \
                     VALUES ($1, $2, $3, $4, $5)",
                    id,
                    i64::from(value.year),
                    ward,
                    value.value.as_str(),
                    value.note.clone()
                ))
                .await?;
        }
        let summary: Vec<&String> = measures.iter().map(|(s, _)| s).collect();
        let audited = audit_change(
            &mut tx,
            w,
            "measure_value",
            format!("{} values", values.len()),
            None,
            &summary,
        )
        .await?;
        tx.commit(audited).await?;
        Ok(values.len())
    }
}

impl Tx {
    pub async fn insert_outcome_signal(
        &mut self,
        place_id: i64,
        theme_id: i64,
        signal: &OutcomeSignal,
        position: i64,
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO outcome_signal (place_id, theme_id, slug, name, description, position, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            place_id,
            theme_id,
            signal.id.as_str(),
            signal.name.as_str(),
            signal.description.clone(),
            position,
            signal.audience.as_str(),
            unix_now(),
        );
        self.returning_id(sql).await
    }

    pub async fn insert_measure(
        &mut self,
        place_id: i64,
        signal_id: i64,
        m: &Measure,
        position: i64,
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO measure (place_id, signal_id, slug, name, unit, direction, source, source_url, \
             licence, position, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            place_id,
            signal_id,
            m.id.as_str(),
            m.name.as_str(),
            m.unit.as_str(),
            m.direction.as_str(),
            m.source.clone(),
            m.source_url.clone(),
            m.licence.clone(),
            position,
            m.audience.as_str(),
            unix_now(),
        );
        self.returning_id(sql).await
    }

    /// Inserts one value of a measure by its database id (demo and
    /// generated data).
    pub async fn insert_measure_value(
        &mut self,
        measure_id: i64,
        value: &MeasureValue,
    ) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO measure_value (measure_id, year, ward, value, note) VALUES ($1, $2, $3, $4, $5)",
                measure_id,
                i64::from(value.year),
                value.ward.clone().unwrap_or_default(),
                value.value.as_str(),
                value.note.clone()
            ))
            .await?;
        Ok(())
    }
}

/// The demo's one signal and measure named by the seeds (Good Life Camden's
/// health theme: "people live long and healthy lives", measured by healthy
/// life expectancy). The seeds give no figures, so it has no values.
pub(crate) async fn seed_health_signal(tx: &mut Tx, place: i64, theme_id: i64) -> Result<()> {
    let signal = OutcomeSignal {
        id: "long-healthy-lives".into(),
        theme: RecordRef {
            id: "health".into(),
            name: "Health".into(),
        },
        name: "People live long and healthy lives".into(),
        description: None,
        audience: placeweave_domain::Audience::Public,
        version: 1,
    };
    let signal_id = tx
        .insert_outcome_signal(place, theme_id, &signal, 0)
        .await?;
    let measure = Measure {
        id: "healthy-life-expectancy".into(),
        signal: RecordRef {
            id: signal.id.clone(),
            name: signal.name.clone(),
        },
        name: "Healthy life expectancy".into(),
        unit: "years".into(),
        direction: Direction::Higher,
        source: None,
        source_url: None,
        licence: None,
        audience: placeweave_domain::Audience::Public,
        version: 1,
    };
    tx.insert_measure(place, signal_id, &measure, 0).await?;
    Ok(())
}

impl crate::write::Tx {
    /// A generated place's outcomes framework: for each theme one signal
    /// and one measure (synthetic, and named so), with a value for each
    /// year from 2019 to 2025 for the place and for each of `wards`
    /// wards, drifting from a random start. Returns how many measures.
    pub(crate) async fn insert_synthetic_measures(
        &mut self,
        place: i64,
        rng: &mut rand_chacha::ChaCha8Rng,
        themes: &[i64],
        wards: &[String],
    ) -> Result<usize> {
        use rand::Rng;
        for (i, theme) in themes.iter().enumerate() {
            let signal = self
                .returning_id(crate::sql::sql!(
                    "INSERT INTO outcome_signal (place_id, theme_id, slug, name, position) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    place,
                    *theme,
                    format!("signal-{}", i + 1),
                    format!("Synthetic signal {}", i + 1),
                    i64::try_from(i).unwrap_or(i64::MAX)
                ))
                .await?;
            let measure = self
                .returning_id(crate::sql::sql!(
                    "INSERT INTO measure (place_id, signal_id, slug, name, unit, direction, \
                     source, position) VALUES ($1, $2, $3, $4, 'percent', $5, \
                     'Generated by placeweave generate', $6) RETURNING id",
                    place,
                    signal,
                    format!("measure-{}", i + 1),
                    format!("Synthetic measure {}", i + 1),
                    if i % 2 == 0 { "higher" } else { "lower" },
                    i64::try_from(i).unwrap_or(i64::MAX)
                ))
                .await?;
            for ward in std::iter::once("").chain(wards.iter().map(String::as_str)) {
                let mut value: f64 = rng.gen_range(20.0..80.0);
                for year in 2019..=2025_i64 {
                    value = (value + rng.gen_range(-3.0..3.0)).clamp(0.0, 100.0);
                    self.exec()
                        .execute(crate::sql::sql!(
                            "INSERT INTO measure_value (measure_id, year, ward, value) \
                             VALUES ($1, $2, $3, $4)",
                            measure,
                            year,
                            ward,
                            format!("{value:.1}")
                        ))
                        .await?;
                }
            }
        }
        Ok(themes.len())
    }
}
