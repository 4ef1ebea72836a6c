//! Open data: the page listing every download with the place's licence,
//! the downloads of whole lists (CSV and JSON, exactly what the reader may
//! see, never a private field), and the administrators' licence choice.

use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use placeweave_app::{CommitmentQuery, InitiativeQuery, Scope};
use placeweave_domain::contribution::Contribution;
use placeweave_domain::experiment::{ExperimentFilter, ExperimentSummary};
use placeweave_domain::filter::OrganisationQuery;
use placeweave_domain::licence::DataLicence;
use placeweave_domain::place::RecordRef;
use placeweave_domain::story::{StoryFilter, StorySummary};
use placeweave_domain::{
    Action, Commitment, FieldError, Organisation, OrganisationFilter, PageRequest, Resource, Target,
};
use placeweave_store::outcome::MeasuresOf;
use serde::{Deserialize, Serialize};

use super::contributions::{FilterQuery, parse_filter};
use super::saved::Saved;
use super::{Chrome, PageError, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Failure, require};

/// The two shapes every list downloads in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

impl Format {
    fn of(json: bool) -> Self {
        if json { Format::Json } else { Format::Csv }
    }
}

/// A list as downloaded: its file name (without extension) and its rows,
/// flat so that CSV and JSON carry the same columns.
struct Download<T> {
    name: &'static str,
    rows: Vec<T>,
}

impl<T: Serialize> Download<T> {
    fn respond(self, scope: &Scope, format: Format) -> Result<Response, Failure> {
        let licence = scope.place().licence;
        let place = &scope.place().place.id;
        let (content_type, extension, body) = match format {
            Format::Csv => ("text/csv; charset=utf-8", "csv", csv_body(&self.rows)?),
            Format::Json => {
                // Written straight from the rows: no document of values
                // is built first (a whole place's contributions are tens
                // of megabytes).
                let body = serde_json::to_vec(&JsonDownload {
                    count: self.rows.len(),
                    licence: LicenceDoc {
                        id: licence.slug(),
                        name: licence.label(),
                        url: licence.url(),
                    },
                    place,
                    records: &self.rows,
                })
                .map_err(download_failure)?;
                ("application/json", "json", body)
            }
        };
        Ok((
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{place}-{}.{extension}\"", self.name),
                ),
                // The licence travels with a CSV too, where no field can say it.
                (
                    header::LINK,
                    format!("<{}>; rel=\"license\"", licence.url()),
                ),
            ],
            body,
        )
            .into_response())
    }
}

/// A JSON download: the licence, the place and its records (the keys in
/// the order they have always been written).
#[derive(Serialize)]
struct JsonDownload<'a, T> {
    count: usize,
    licence: LicenceDoc,
    place: &'a str,
    records: &'a [T],
}

#[derive(Serialize)]
struct LicenceDoc {
    id: &'static str,
    name: &'static str,
    url: &'static str,
}

/// The rows as CSV, with a header row. A cell that a spreadsheet would
/// take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: text a partner typed into a description, say) gets a
/// leading `'`, so opening the file runs nothing (OWASP's advice on CSV
/// injection). Each text cell is defused as it is written, so the file is
/// written once. No number column here can be negative.
pub(crate) fn csv_body<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len().saturating_mul(256)));
    for row in rows {
        writer
            .serialize(defuse::Defused(row))
            .map_err(download_failure)?;
    }
    writer
        .into_inner()
        .map_err(|e| download_failure(e.into_error()))
}

/// Whether a text cell would be taken for a formula (see [`csv_body`]).
fn risky(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell a spreadsheet would take for a formula, with a leading
/// `'` (see [`csv_body`]); any other as it is.
pub(crate) fn defused(cell: &str) -> String {
    if risky(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn download_failure(err: impl std::fmt::Display) -> Failure {
    Failure::Hash(crate::auth::HashError(format!(
        "could not write the download: {err}"
    )))
}

/// A download's answer; a failure is a problem document for the JSON
/// download (its readers are programs) and a page for the CSV one.
fn answer(result: Result<Response, Failure>, json: bool) -> Response {
    match result {
        Ok(response) => response,
        Err(failure) if json => ApiError(failure).into_response(),
        Err(failure) => PageError(failure).into_response(),
    }
}

/// Refuses query parameters a list does not take: a misspelt filter must
/// not quietly give the whole list.
fn only(raw: Option<&str>, known: &[&str]) -> Result<(), Failure> {
    let unknown: Vec<FieldError> = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(key, _)| key.into_owned())
        .filter(|key| !known.contains(&key.as_str()))
        .map(|key| {
            FieldError::new(
                key.clone(),
                format!("“{key}” is not a filter of this list: remove it from the web address"),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(unknown))
    }
}

fn joined<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join("; ")
}

/// One organisation in a download: its public fields only.
#[derive(Serialize)]
struct OrganisationRow {
    id: String,
    name: String,
    kind: &'static str,
    anchor_institution: bool,
    size_band: Option<&'static str>,
    scope: Option<&'static str>,
    wards: String,
    levers: String,
    identifiers: String,
    description: Option<String>,
    website: Option<String>,
    page: String,
}

impl From<Organisation> for OrganisationRow {
    fn from(o: Organisation) -> Self {
        OrganisationRow {
            page: format!("/organisations/{}", o.id),
            kind: o.kind.slug(),
            anchor_institution: o.is_anchor,
            size_band: o.size_band.map(|s| s.slug()),
            scope: o.scope.map(|s| s.slug()),
            wards: joined(o.wards.iter().map(String::as_str)),
            levers: joined(o.levers.iter().map(|l| l.lever.slug())),
            identifiers: joined(o.identifiers.iter().map(String::as_str)),
            id: o.id,
            name: o.name,
            description: o.description,
            website: o.website,
        }
    }
}

/// One commitment in a download; its staff note is never written.
#[derive(Serialize)]
struct CommitmentRow {
    id: i64,
    organisation: String,
    organisation_name: String,
    role: Option<String>,
    role_name: Option<String>,
    mission: Option<String>,
    mission_name: Option<String>,
    status: &'static str,
    start_date: Option<String>,
    end_date: Option<String>,
    demonstration: bool,
}

impl From<Commitment> for CommitmentRow {
    fn from(c: Commitment) -> Self {
        CommitmentRow {
            id: c.id,
            status: c.status.slug(),
            role: c.role.as_ref().map(|r| r.id.clone()),
            role_name: c.role.map(|r| r.name),
            mission: c.mission.as_ref().map(|m| m.id.clone()),
            mission_name: c.mission.map(|m| m.name),
            organisation: c.organisation.id,
            organisation_name: c.organisation.name,
            start_date: c.start_date,
            end_date: c.end_date,
            demonstration: c.demonstration,
        }
    }
}

/// One initiative in a download.
#[derive(Serialize)]
struct InitiativeRow {
    id: String,
    name: String,
    description: Option<String>,
    participants: i64,
    page: String,
}

fn rejected(err: QueryRejection) -> Failure {
    Failure::Invalid(vec![FieldError::new(
        "query",
        format!(
            "The web address's values are not valid: {}",
            err.body_text()
        ),
    )])
}

/// `JSON`: the JSON download, else the CSV one.
pub async fn organisations<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
    query: Result<Query<OrganisationQuery>, QueryRejection>,
) -> Response {
    let result = async {
        only(
            raw.as_deref(),
            &["kind", "lever", "mission", "ward", "q", "anchor"],
        )?;
        let Query(query) = query.map_err(rejected)?;
        let scope = state.scope(&caller).await?;
        let filter = OrganisationFilter::parse(&query)
            .map_err(|e| Failure::from(placeweave_app::AppError::from(e)))?
            .0;
        let rows = state.app.organisations_in_full(&scope, &filter).await?;
        Download {
            name: "organisations",
            rows: rows.into_iter().map(OrganisationRow::from).collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// The filters a commitments or initiatives download takes.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    organisation: Option<String>,
    mission: Option<String>,
    role: Option<String>,
}

fn chosen(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// `JSON`: the JSON download, else the CSV one.
pub async fn commitments<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(rejected)?;
        let scope = state.scope(&caller).await?;
        let (rows, _) = state
            .app
            .commitments(
                &scope,
                &CommitmentQuery {
                    organisation: chosen(query.organisation),
                    mission: chosen(query.mission),
                    role: chosen(query.role),
                    review: None,
                    page: PageRequest::everything(),
                },
            )
            .await?;
        Download {
            name: "commitments",
            rows: rows.into_iter().map(CommitmentRow::from).collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// `JSON`: the JSON download, else the CSV one.
pub async fn initiatives<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(rejected)?;
        if query.role.is_some() {
            return Err(Failure::Invalid(vec![FieldError::new(
                "role",
                "Initiatives are not filtered by role: remove it from the web address",
            )]));
        }
        let scope = state.scope(&caller).await?;
        let (rows, _) = state
            .app
            .initiatives(
                &scope,
                &InitiativeQuery {
                    mission: chosen(query.mission),
                    organisation: chosen(query.organisation),
                    page: PageRequest::everything(),
                },
            )
            .await?;
        Download {
            name: "initiatives",
            rows: rows
                .into_iter()
                .map(|i| InitiativeRow {
                    page: format!("/initiatives/{}", i.id),
                    id: i.id,
                    name: i.name,
                    description: i.description,
                    participants: i.participant_count,
                })
                .collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// One experiment in a download: the portfolio's columns and more.
#[derive(Serialize)]
struct ExperimentRow {
    id: String,
    name: String,
    hypothesis: String,
    mechanism: &'static str,
    scale: Option<&'static str>,
    budget_gbp: Option<i64>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: &'static str,
    decision: Option<&'static str>,
    decision_reason: Option<String>,
    demonstration: bool,
    page: String,
}

impl From<ExperimentSummary> for ExperimentRow {
    fn from(e: ExperimentSummary) -> Self {
        ExperimentRow {
            page: format!("/experiments/{}", e.id),
            mechanism: e.mechanism.slug(),
            scale: e.scale.map(|s| s.slug()),
            budget_gbp: e.budget,
            status: e.status.slug(),
            decision: e.decision.map(|d| d.slug()),
            id: e.id,
            name: e.name,
            hypothesis: e.hypothesis,
            start_date: e.start_date,
            end_date: e.end_date,
            decision_reason: e.decision_reason,
            demonstration: e.demonstration,
        }
    }
}

/// The filters the experiments download takes: the portfolio's.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PortfolioFilters {
    mission: Option<String>,
    lever: Option<String>,
    status: Option<String>,
}

/// `JSON`: the JSON download, else the CSV one.
pub async fn experiments<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PortfolioFilters>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(rejected)?;
        let filter = ExperimentFilter::parse(
            query.mission.as_deref(),
            query.lever.as_deref(),
            query.status.as_deref(),
        )
        .map_err(|e| Failure::from(placeweave_app::AppError::from(e)))?;
        let scope = state.scope(&caller).await?;
        let (rows, _) = state
            .app
            .experiments(&scope, &filter, PageRequest::everything())
            .await?;
        Download {
            name: "experiments",
            rows: rows.into_iter().map(ExperimentRow::from).collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// One contribution in a download: every field is the record's own.
#[derive(Serialize)]
struct ContributionRow {
    id: i64,
    organisation: String,
    organisation_name: String,
    mission: String,
    mission_name: String,
    theme: Option<String>,
    theme_name: Option<String>,
    measure: &'static str,
    unit: &'static str,
    quantity: i64,
    description: Option<String>,
    start_date: String,
    end_date: String,
    ward: Option<String>,
    evidence_url: Option<String>,
    demonstration: bool,
}

impl From<Contribution> for ContributionRow {
    fn from(c: Contribution) -> Self {
        ContributionRow {
            id: c.id,
            organisation: c.organisation.id,
            organisation_name: c.organisation.name,
            mission: c.mission.id,
            mission_name: c.mission.name,
            theme: c.theme.as_ref().map(|t| t.id.clone()),
            theme_name: c.theme.map(|t| t.name),
            measure: c.measure.slug(),
            unit: c.unit.slug(),
            quantity: c.quantity,
            description: c.description,
            start_date: c.start_date,
            end_date: c.end_date,
            ward: c.ward,
            evidence_url: c.evidence_url,
            demonstration: c.demonstration,
        }
    }
}

/// `JSON`: the JSON download, else the CSV one. The filters are the
/// contributions list's.
pub async fn contributions<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
    query: Result<Query<FilterQuery>, QueryRejection>,
) -> Response {
    let result = async {
        only(
            raw.as_deref(),
            &[
                "organisation",
                "mission",
                "theme",
                "ward",
                "measure",
                "year",
            ],
        )?;
        let Query(query) = query.map_err(rejected)?;
        let mut errors = Vec::new();
        let filter = parse_filter(&query, &mut errors);
        if !errors.is_empty() {
            return Err(Failure::Invalid(errors));
        }
        let scope = state.scope(&caller).await?;
        let (rows, _) = state
            .app
            .contributions(&scope, &filter, PageRequest::everything())
            .await?;
        Download {
            name: "contributions",
            rows: rows.into_iter().map(ContributionRow::from).collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// One measure of the outcomes framework in a download (its values are
/// each measure's own download).
#[derive(Serialize)]
struct MeasureRow {
    id: String,
    name: String,
    signal: String,
    signal_name: String,
    unit: String,
    direction: &'static str,
    source: Option<String>,
    source_url: Option<String>,
    licence: Option<String>,
    page: String,
    values: String,
}

/// `JSON`: the JSON download, else the CSV one. It takes no filters.
pub async fn measures<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = async {
        only(raw.as_deref(), &[])?;
        let scope = state.scope(&caller).await?;
        let measures = state.app.measures_of(&scope, MeasuresOf::All).await?;
        Download {
            name: "measures",
            rows: measures
                .into_iter()
                .map(|m| MeasureRow {
                    page: format!("/measures/{}", m.id),
                    values: format!("/measures/{}/values.csv", m.id),
                    direction: m.direction.as_str(),
                    id: m.id,
                    name: m.name,
                    signal: m.signal.id,
                    signal_name: m.signal.name,
                    unit: m.unit,
                    source: m.source,
                    source_url: m.source_url,
                    licence: m.licence,
                })
                .collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

/// One story in a download; its consent record is never written.
#[derive(Serialize)]
struct StoryRow {
    id: String,
    title: String,
    summary: String,
    status: &'static str,
    published_on: Option<String>,
    missions: String,
    themes: String,
    partners: String,
    partner_names: String,
    demonstration: bool,
    page: String,
}

impl From<StorySummary> for StoryRow {
    fn from(s: StorySummary) -> Self {
        let ids = |refs: &[RecordRef]| joined(refs.iter().map(|r| r.id.as_str()));
        StoryRow {
            page: format!("/stories/{}", s.id),
            status: s.status.slug(),
            missions: ids(&s.missions),
            themes: ids(&s.themes),
            partners: ids(&s.participants),
            partner_names: joined(s.participants.iter().map(|p| p.name.as_str())),
            id: s.id,
            title: s.title,
            summary: s.summary,
            published_on: s.published_on,
            demonstration: s.demonstration,
        }
    }
}

/// The filters a stories download takes, as the stories page does.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StoryQuery {
    mission: Option<String>,
    theme: Option<String>,
    partner: Option<String>,
}

/// `JSON`: the JSON download, else the CSV one.
pub async fn stories<const JSON: bool>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<StoryQuery>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(rejected)?;
        let scope = state.scope(&caller).await?;
        let filter = StoryFilter::parse(
            query.mission.as_deref(),
            query.theme.as_deref(),
            query.partner.as_deref(),
        )
        .map_err(|e| Failure::from(placeweave_app::AppError::from(e)))?;
        let (rows, _) = state
            .app
            .stories(&scope, &filter, PageRequest::everything())
            .await?;
        Download {
            name: "stories",
            rows: rows.into_iter().map(StoryRow::from).collect(),
        }
        .respond(&scope, Format::of(JSON))
    };
    answer(result.await, JSON)
}

#[derive(Template)]
#[template(path = "open_data.html")]
struct OpenDataPage {
    chrome: Chrome,
    licence: DataLicence,
    may_change: bool,
    saved: Saved,
}

pub async fn show(State(state): State<AppState>, caller: Caller, saved: Saved) -> PageResult {
    let scope = state.scope(&caller).await?;
    let may_change = scope.may_edit(Resource::PlacePage);
    render(
        StatusCode::OK,
        &OpenDataPage {
            chrome: Chrome::new(&scope, Section::Home, &caller)
                .titled("Open data")
                .describe(format!(
                    "Download {}'s partnership records as CSV or JSON.",
                    scope.place().place.name
                )),
            licence: scope.place().licence,
            saved,
            may_change,
        },
    )
}

#[derive(Template)]
#[template(path = "licence_edit.html")]
struct LicenceForm {
    chrome: Chrome,
    errors: Vec<FieldError>,
    licence: Option<DataLicence>,
}

pub async fn licence_page(State(state): State<AppState>, caller: Caller) -> PageResult {
    require(&caller, Action::Update, &Target::kind(Resource::PlacePage))?;
    let scope = state.scope(&caller).await?;
    render(
        StatusCode::OK,
        &LicenceForm {
            chrome: Chrome::new(&scope, Section::Admin, &caller),
            errors: vec![],
            licence: Some(scope.place().licence),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct LicenceChoice {
    licence: Option<String>,
}

pub async fn set_licence(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<LicenceChoice>, FormRejection>,
) -> PageResult {
    require(&caller, Action::Update, &Target::kind(Resource::PlacePage))?;
    let scope = state.scope(&caller).await?;
    let chosen = form.ok().and_then(|Form(f)| f.licence);
    let Some(licence) = chosen.as_deref().and_then(DataLicence::parse) else {
        return render(
            StatusCode::BAD_REQUEST,
            &LicenceForm {
                chrome: Chrome::new(&scope, Section::Admin, &caller),
                errors: vec![FieldError::new(
                    "licence",
                    "Select the licence the place's open data is published under",
                )],
                licence: None,
            },
        );
    };
    state.app.set_data_licence(&scope, licence).await?;
    Ok(Redirect::to("/open-data?saved=licence").into_response())
}

/// A serializer in front of the CSV writer's that gives each text cell its
/// leading `'` as it is written (see [`csv_body`]). Rows are flat structs;
/// anything nested is refused, as the CSV writer would refuse it, rather
/// than written undefused.
mod defuse {
    use serde::ser::{Error, Impossible, Serialize, SerializeStruct, Serializer};

    use super::risky;

    /// A value whose text is defused when it is serialized.
    pub(super) struct Defused<'a, T: ?Sized>(pub &'a T);

    impl<T: Serialize + ?Sized> Serialize for Defused<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(Defuser(serializer))
        }
    }

    struct Defuser<S>(S);

    /// The fields of a row, each defused.
    struct Fields<S>(S);

    impl<S: SerializeStruct> SerializeStruct for Fields<S> {
        type Ok = S::Ok;
        type Error = S::Error;

        fn serialize_field<T: Serialize + ?Sized>(
            &mut self,
            key: &'static str,
            value: &T,
        ) -> Result<(), S::Error> {
            self.0.serialize_field(key, &Defused(value))
        }

        fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
            self.0.skip_field(key)
        }

        fn end(self) -> Result<S::Ok, S::Error> {
            self.0.end()
        }
    }

    fn nested<E: Error>() -> E {
        E::custom("a download's row holds only plain fields")
    }

    macro_rules! forward {
        ($($method:ident($ty:ty)),* $(,)?) => {
            $(fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
                self.0.$method(v)
            })*
        };
    }

    impl<S: Serializer> Serializer for Defuser<S> {
        type Ok = S::Ok;
        type Error = S::Error;
        type SerializeSeq = Impossible<S::Ok, S::Error>;
        type SerializeTuple = Impossible<S::Ok, S::Error>;
        type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
        type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
        type SerializeMap = Impossible<S::Ok, S::Error>;
        type SerializeStruct = Fields<S::SerializeStruct>;
        type SerializeStructVariant = Impossible<S::Ok, S::Error>;

        forward!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_i128(i128),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_u128(u128),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_bytes(&[u8]),
        );

        fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }

        fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
            if risky(v) {
                self.0.serialize_str(&format!("'{v}"))
            } else {
                self.0.serialize_str(v)
            }
        }

        fn serialize_none(self) -> Result<S::Ok, S::Error> {
            self.0.serialize_none()
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
            self.0.serialize_some(&Defused(value))
        }

        fn serialize_unit(self) -> Result<S::Ok, S::Error> {
            self.0.serialize_unit()
        }

        fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
            self.0.serialize_unit_struct(name)
        }

        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<S::Ok, S::Error> {
            self.serialize_str(variant)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            name: &'static str,
            value: &T,
        ) -> Result<S::Ok, S::Error> {
            self.0.serialize_newtype_struct(name, &Defused(value))
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _value: &T,
        ) -> Result<S::Ok, S::Error> {
            Err(nested())
        }

        fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
            Err(nested())
        }

        fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, S::Error> {
            Err(nested())
        }

        fn serialize_tuple_struct(
            self,
            _name: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeTupleStruct, S::Error> {
            Err(nested())
        }

        fn serialize_tuple_variant(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeTupleVariant, S::Error> {
            Err(nested())
        }

        fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
            Err(nested())
        }

        fn serialize_struct(
            self,
            name: &'static str,
            len: usize,
        ) -> Result<Self::SerializeStruct, S::Error> {
            self.0.serialize_struct(name, len).map(Fields)
        }

        fn serialize_struct_variant(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeStructVariant, S::Error> {
            Err(nested())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        id: i64,
        text: String,
        maybe: Option<String>,
        slug: &'static str,
        flag: bool,
    }

    /// The file as it used to be made: written plainly, read back and
    /// written again with every cell defused.
    fn written_twice(rows: &[Row]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(vec![]);
        for row in rows {
            writer.serialize(row).expect("plain");
        }
        let plain = writer.into_inner().expect("plain");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(plain.as_slice());
        let mut out = csv::Writer::from_writer(vec![]);
        for record in reader.records() {
            let record = record.expect("record");
            out.write_record(record.iter().map(defused)).expect("write");
        }
        out.into_inner().expect("out")
    }

    #[test]
    fn cells_defused_as_written_match_the_file_written_twice() {
        let texts = [
            "=HYPERLINK(\"http://evil.example\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tindented",
            "\rreturn",
            "plain, with \"quotes\"\nand a line",
            "",
            "a=b",
        ];
        let rows: Vec<Row> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Row {
                id: i as i64,
                text: (*text).to_owned(),
                maybe: (i % 2 == 0).then(|| (*text).to_owned()),
                slug: if i % 3 == 0 { "-slug" } else { "slug" },
                flag: i % 2 == 1,
            })
            .collect();
        let once = csv_body(&rows).expect("csv");
        assert_eq!(
            String::from_utf8(once.clone()).expect("utf-8"),
            String::from_utf8(written_twice(&rows)).expect("utf-8")
        );
        let mut reader = csv::Reader::from_reader(once.as_slice());
        let first = reader.records().next().expect("a row").expect("record");
        assert_eq!(&first[1], "'=HYPERLINK(\"http://evil.example\")");
        assert_eq!(&first[3], "'-slug");
    }

    #[test]
    fn nested_rows_are_refused_rather_than_written_undefused() {
        #[derive(Serialize)]
        struct Nested {
            list: Vec<String>,
        }
        let rows = [Nested {
            list: vec!["=1".to_owned()],
        }];
        assert!(csv_body(&rows).is_err());
    }
}
