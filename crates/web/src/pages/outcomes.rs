//! The outcomes framework below its themes: a theme's page with its
//! signals and measures, a measure's page (chart, table, ward values), the
//! forms for signals, measures and values, and the values downloads.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawForm, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use placeweave_app::outcome::{ImportError, MeasureDetail, RowError, VALUE_COLUMNS};
use placeweave_app::{AppError, Scope};
use placeweave_domain::outcome::MeasureValue;
use placeweave_domain::{FieldError, Measure, OutcomeSignal, OutcomeTheme};
use placeweave_store::outcome::MeasuresOf;

use super::chart::Chart;
use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::open_data::defused;
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

async fn theme_options(state: &AppState, scope: &Scope) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .app
        .outcome_themes(scope)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

impl FormPage for OutcomeSignal {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add a signal";
    fn new_href(_owner: Option<&str>) -> String {
        "/signals/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/signals/{key}/edit")
    }
    const SAVED: &'static str = "signal";
    fn saved_href(&self) -> String {
        format!("/themes/{}", self.theme.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let record = view.record;
        let themes = theme_options(state, view.scope).await?;
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Outcomes framework",
            heading: heading(&view),
            back: ("/missions#themes".into(), "Back to missions and themes".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save signal",
            fields: vec![
                FormField::new("theme", "Theme", Control::Select(themes, "Choose a theme"), record.theme.id.clone()),
                FormField::new("name", "Name of the signal", Control::Input("text"), record.name.clone())
                    .hint("What would show the theme is improving, for example: people live long and healthy lives"),
                FormField::new("description", "What it means", Control::TextArea, record.description.clone().unwrap_or_default()),
                FormField::new("audience", "Who can see this signal", audiences(), record.audience.as_str()),
            ],
        };
        finish(view, form)
    }
}

impl FormPage for Measure {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add a measure";
    fn new_href(_owner: Option<&str>) -> String {
        "/measures/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/measures/{key}/edit")
    }
    const SAVED: &'static str = "measure";
    fn saved_href(&self) -> String {
        format!("/measures/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let record = view.record;
        let signals = state
            .app
            .outcome_signals(view.scope, None)
            .await?
            .into_iter()
            .map(|s| (s.id, format!("{} ({})", s.name, s.theme.name)))
            .collect();
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Outcomes framework",
            heading: heading(&view),
            back: (
                "/missions#themes".into(),
                "Back to missions and themes".into(),
            ),
            action: view.action.clone(),
            version: view.version,
            submit: "Save measure",
            fields: vec![
                FormField::new(
                    "signal",
                    "Signal it tracks",
                    Control::Select(signals, "Choose a signal"),
                    record.signal.id.clone(),
                ),
                FormField::new(
                    "name",
                    "Name of the measure",
                    Control::Input("text"),
                    record.name.clone(),
                )
                .hint("For example: healthy life expectancy at birth"),
                FormField::new("unit", "Unit", Control::Input("text"), record.unit.clone())
                    .hint("What the values count, for example: years, or % of residents"),
                FormField::new(
                    "direction",
                    "Which way is better?",
                    Control::Radios(vec![
                        ("higher".into(), "Higher is better".into(), String::new()),
                        ("lower".into(), "Lower is better".into(), String::new()),
                    ]),
                    record.direction.as_str(),
                ),
                FormField::new(
                    "source",
                    "Source",
                    Control::Input("text"),
                    record.source.clone().unwrap_or_default(),
                )
                .hint("Who publishes the figures, for example: Office for National Statistics"),
                FormField::new(
                    "source_url",
                    "Source web address",
                    Control::Input("url"),
                    record.source_url.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "licence",
                    "Licence",
                    Control::Input("text"),
                    record.licence.clone().unwrap_or_default(),
                )
                .hint("For example: Open Government Licence v3.0"),
                FormField::new(
                    "audience",
                    "Who can see this measure",
                    audiences(),
                    record.audience.as_str(),
                ),
            ],
        };
        finish(view, form)
    }
}

#[derive(Template)]
#[template(path = "theme.html")]
struct ThemePage {
    chrome: Chrome,
    theme: OutcomeTheme,
    signals: Vec<(OutcomeSignal, Vec<MeasureDetail>)>,
    saved: Saved,
}

pub async fn theme(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let theme = state.app.get::<OutcomeTheme>(&scope, &slug).await?;
    let mut measures = state
        .app
        .measure_details(&scope, MeasuresOf::Theme(&theme.id))
        .await?;
    let signals = state
        .app
        .outcome_signals(&scope, Some(&theme.id))
        .await?
        .into_iter()
        .map(|s| {
            let (mine, rest) = measures
                .drain(..)
                .partition(|m| m.measure.signal.id == s.id);
            measures = rest;
            (s, mine)
        })
        .collect();
    let page = ThemePage {
        chrome: Chrome::new(&scope, Section::Missions, &caller),
        theme,
        signals,
        saved,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage {
    chrome: Chrome,
    detail: MeasureDetail,
    whole: Vec<MeasureValue>,
    wards: Vec<MeasureValue>,
    chart: Option<Chart>,
    may_enter: bool,
    saved: Saved,
}

pub async fn measure(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let detail = state.app.measure_detail(&scope, &slug).await?;
    let (whole, wards): (Vec<_>, Vec<_>) = detail
        .values
        .iter()
        .cloned()
        .partition(|v| v.ward.is_none());
    let page = MeasurePage {
        chrome: Chrome::new(&scope, Section::Missions, &caller),
        chart: Chart::of(&detail.measure, &whole),
        may_enter: scope.may_update(&detail.measure),
        whole,
        wards,
        detail,
        saved,
    };
    render(StatusCode::OK, &page)
}

/// `/measures/{slug}/values.csv` or `values.json`.
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, file)): Path<(String, String)>,
) -> PageResult {
    match file.as_str() {
        "values.csv" => values_csv(&state, &caller, &slug).await,
        "values.json" => values_json(&state, &caller, &slug).await,
        _ => Err(Failure::NotFound.into()),
    }
}

/// The values of a measure as CSV, in the columns an import reads.
async fn values_csv(state: &AppState, caller: &Caller, slug: &str) -> PageResult {
    let scope = state.scope(caller).await?;
    let detail = state.app.measure_detail(&scope, slug).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, row: [&str; 5]| {
        w.write_record(row)
            .map_err(|e| Failure::Render(askama::Error::Custom(Box::new(e))))
    };
    write(&mut writer, VALUE_COLUMNS)?;
    for v in &detail.values {
        let year = v.year.to_string();
        // Typed text is defused as in every other CSV; the value is a
        // checked number (it may be negative) and stays one to import.
        let ward = defused(v.ward.as_deref().unwrap_or_default());
        let note = defused(v.note.as_deref().unwrap_or_default());
        write(
            &mut writer,
            [&detail.measure.id, &year, &ward, &v.value, &note],
        )?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| Failure::Render(askama::Error::Custom(Box::new(e.into_error()))))?;
    let licence = detail
        .measure
        .licence
        .clone()
        .unwrap_or_else(|| "No licence stated".into());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-values.csv\""),
            ),
            (
                header::HeaderName::from_static("x-licence"),
                ascii(&licence),
            ),
        ],
        body,
    )
        .into_response())
}

fn ascii(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .collect()
}

/// The measure and its values as JSON, with its licence and source.
async fn values_json(state: &AppState, caller: &Caller, slug: &str) -> PageResult {
    let scope = state.scope(caller).await?;
    let detail = state.app.measure_detail(&scope, slug).await?;
    Ok(axum::Json(serde_json::json!({
        "measure": detail.measure,
        "licence": detail.measure.licence,
        "values": detail.values,
    }))
    .into_response())
}

#[derive(Template)]
#[template(path = "measure_value_form.html")]
struct ValueForm {
    chrome: Chrome,
    measure: Measure,
    errors: Vec<FieldError>,
    year: String,
    ward: String,
    value: String,
    note: String,
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

async fn value_form(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    pairs: &[(String, String)],
    errors: Vec<FieldError>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let measure = state.app.get::<Measure>(&scope, &slug.to_owned()).await?;
    if !scope.may_update(&measure) {
        return Err(Failure::from(AppError::Forbidden).into());
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ValueForm {
        chrome: Chrome::new(&scope, Section::Missions, caller),
        measure,
        errors,
        year: field(pairs, "year").into(),
        ward: field(pairs, "ward").into(),
        value: field(pairs, "value").into(),
        note: field(pairs, "note").into(),
    };
    render(status, &page)
}

pub async fn new_value(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    value_form(&state, &caller, &slug, &[], vec![]).await
}

pub async fn enter_value(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    RawForm(body): RawForm,
) -> PageResult {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let scope = state.scope(&caller).await?;
    let result = state
        .app
        .enter_measure_value(
            &scope,
            &slug,
            field(&pairs, "year"),
            field(&pairs, "ward"),
            field(&pairs, "value"),
            field(&pairs, "note"),
        )
        .await;
    match result {
        Ok(()) => {
            Ok(Redirect::to(&after_save(&format!("/measures/{slug}"), "value")).into_response())
        }
        Err(AppError::Invalid(errors)) => value_form(&state, &caller, &slug, &pairs, errors).await,
        Err(e) => Err(Failure::from(e).into()),
    }
}

#[derive(Template)]
#[template(path = "measure_import.html")]
struct ImportPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    /// The first rows the file could not be read at, when it was refused,
    /// and how many more there were.
    rows: Vec<RowError>,
    more: usize,
    columns: &'static [&'static str],
    saved: Saved,
}

fn import_page(
    scope: &Scope,
    caller: &Caller,
    errors: Vec<FieldError>,
    rows: Vec<RowError>,
    more: usize,
    saved: Saved,
) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ImportPage {
        chrome: Chrome::new(scope, Section::Missions, caller).titled("Import measure values"),
        errors,
        rows,
        more,
        columns: &VALUE_COLUMNS,
        saved,
    };
    render(status, &page)
}

/// The form to import a file of values (staff).
pub async fn import_form(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    require_import(&scope)?;
    import_page(&scope, &caller, vec![], vec![], 0, saved)
}

fn require_import(scope: &Scope) -> Result<(), Failure> {
    scope
        .require(
            placeweave_domain::Action::Update,
            &placeweave_domain::Target::kind(placeweave_domain::Resource::Measure),
        )
        .map_err(Failure::from)
}

/// The file sent as the form's `file` field, if any.
async fn uploaded(multipart: Result<Multipart, MultipartRejection>) -> Option<Vec<u8>> {
    let mut multipart = multipart.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            return field.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    None
}

/// Imports a file of values all or nothing; a refused file lists every
/// row that could not be read.
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    require_import(&scope)?;
    let Some(file) = uploaded(multipart).await.filter(|f| !f.is_empty()) else {
        let errors = vec![FieldError::new(
            "file",
            "Choose a CSV or Excel (XLSX) file of values",
        )];
        return import_page(&scope, &caller, errors, vec![], 0, Saved::default());
    };
    match state.app.import_measure_values(&scope, &file).await {
        Ok(_) => Ok(
            Redirect::to(&after_save("/import/measure-values", "values-imported")).into_response(),
        ),
        Err(ImportError::Rows { rows, more }) => {
            let n = rows.len() + more;
            let errors = vec![FieldError::new(
                "file",
                format!(
                    "{n} row{} of the file could not be read, so nothing was imported: \
                     correct {} and choose the file again",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "it" } else { "them" },
                ),
            )];
            import_page(&scope, &caller, errors, rows, more, Saved::default())
        }
        Err(ImportError::App(e)) => Err(Failure::from(e).into()),
    }
}
