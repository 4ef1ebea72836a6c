//! The outcomes framework below its themes: signals, and the measures
//! that track them with their values by year (and ward) and their trend.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::outcome::{Direction, MeasureValue, Trend};
use placeweave_domain::{Action, Audience, FieldError, Measure, OutcomeSignal, Resource, Target};
use placeweave_store::outcome::MeasuresOf;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, Body, checked, create, exact, pairs, query, read, scope, update};
use super::types::{
    Decimal, Line, Name, Slug, Text, UnitName, Ward, Website, nullable, present, whole,
};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// Declares a request body with a signal's fields after the fields given.
macro_rules! signal_body {
    ($(#[doc = $doc:literal])+ $name:ident, required: $required:tt { $($extra:tt)* }) => {
        $(#[doc = $doc])+
        #[derive(Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            /// The id of the theme it belongs to.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Slug, required = $required)]
            theme: Option<Slug>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Name, required = $required)]
            name: Option<Name>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Text>)]
            description: Option<Option<Text>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Audience, required = $required)]
            audience: Option<Audience>,
        }
    };
}

signal_body!(
    /// A new signal (staff): `theme`, `name` and `audience` are required.
    NewSignal, required: true {}
);

signal_body!(
    /// Changes to a signal: only the fields sent change (null empties
    /// one), and `version` must be the one read.
    SignalChanges, required: false {
        /// The version you read; a stale one gets 409.
        #[serde(deserialize_with = "whole")]
        version: i64,
    }
);

/// Declares a request body with a measure's fields after the fields given.
macro_rules! measure_body {
    ($(#[doc = $doc:literal])+ $name:ident, required: $required:tt { $($extra:tt)* }) => {
        $(#[doc = $doc])+
        #[derive(Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            /// The id of the signal it tracks.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Slug, required = $required)]
            signal: Option<Slug>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Name, required = $required)]
            name: Option<Name>,
            /// What the values count, like `years` or `% of residents`.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = UnitName, required = $required)]
            unit: Option<UnitName>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Direction, required = $required)]
            direction: Option<Direction>,
            /// Who publishes the values.
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Name>)]
            source: Option<Option<Name>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Website>)]
            source_url: Option<Option<Website>>,
            /// The licence the values are published under.
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Name>)]
            licence: Option<Option<Name>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Audience, required = $required)]
            audience: Option<Audience>,
        }
    };
}

measure_body!(
    /// A new measure (staff): `signal`, `name`, `unit`, `direction` and
    /// `audience` are required.
    NewMeasure, required: true {}
);

measure_body!(
    /// Changes to a measure: only the fields sent change (null empties
    /// one), and `version` must be the one read.
    MeasureChanges, required: false {
        /// The version you read; a stale one gets 409.
        #[serde(deserialize_with = "whole")]
        version: i64,
    }
);

/// A measure with its values and the trend of its place-wide values.
#[derive(Serialize, ToSchema)]
pub struct MeasureWithValues {
    measure: Measure,
    /// By year, place-wide values first, then each ward's.
    values: Vec<MeasureValue>,
    /// The latest place-wide value against the year before; none without values.
    trend: Option<Trend>,
}

/// Filters for the measures: a theme, a signal, or both.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasureQuery {
    /// Theme id (slug): only the measures of its signals.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    theme: Option<String>,
    /// Signal id (slug): only the measures tracking it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    signal: Option<String>,
}

/// Filters for the signals.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignalQuery {
    /// Theme id (slug): only its signals.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    theme: Option<String>,
}

/// The filters given, each checked to be an id.
fn filters(q: MeasureQuery) -> Result<(Option<String>, Option<String>), Failure> {
    let mut errors = Vec::new();
    exact(&[("theme", &q.theme), ("signal", &q.signal)], &mut errors);
    for (field, value) in [("theme", &q.theme), ("signal", &q.signal)] {
        let bad = value
            .as_deref()
            .filter(|v| !placeweave_domain::place::is_slug(v));
        if let Some(v) = bad
            && errors.iter().all(|e| e.field != field)
        {
            errors.push(FieldError::new(
                field,
                format!(
                    "\"{}\" is not an id",
                    v.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
    checked(errors)?;
    Ok((q.theme, q.signal))
}

/// List the outcomes framework's signals, optionally of one theme.
#[utoipa::path(get, path = "/api/v1/places/{place}/signals", tag = "missions",
    params(("place" = String, Path, description = "Place id"), SignalQuery),
    responses(
        (status = 200, description = "The signals", body = [OutcomeSignal]),
        (status = 400, description = "The filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn signals(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<SignalQuery>, QueryRejection>,
) -> ApiResult<Vec<OutcomeSignal>> {
    let scope = scope(&state, &caller, &place).await?;
    let (theme, _) = filters(MeasureQuery {
        theme: query(raw)?.theme,
        signal: None,
    })?;
    Ok(Json(
        state.app.outcome_signals(&scope, theme.as_deref()).await?,
    ))
}

/// Get a signal.
#[utoipa::path(get, path = "/api/v1/places/{place}/signals/{signal}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("signal" = String, Path, description = "Signal id")),
    responses(
        (status = 200, description = "The signal", body = OutcomeSignal),
        (status = 404, description = "No such signal", body = Problem, content_type = "application/problem+json")))]
pub async fn signal(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<OutcomeSignal> {
    read::<OutcomeSignal>(&state, &caller, &place, &key).await
}

/// Add a signal to a theme (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/signals", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = NewSignal,
    responses((status = 200, description = "The new signal", body = OutcomeSignal),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_signal(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<OutcomeSignal> {
    create::<OutcomeSignal, NewSignal>(&state, &caller, &place, body).await
}

/// Change a signal (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/signals/{signal}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("signal" = String, Path, description = "Signal id")), request_body = SignalChanges,
    responses((status = 200, description = "The signal as changed", body = OutcomeSignal),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such signal, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_signal(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<OutcomeSignal> {
    update::<OutcomeSignal, SignalChanges>(&state, &caller, &place, &key, body).await
}

/// List the measures, optionally of one theme, one signal, or both.
#[utoipa::path(get, path = "/api/v1/places/{place}/measures", tag = "missions",
    params(("place" = String, Path, description = "Place id"), MeasureQuery),
    responses(
        (status = 200, description = "The measures", body = [Measure]),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn measures(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<MeasureQuery>, QueryRejection>,
) -> ApiResult<Vec<Measure>> {
    let scope = scope(&state, &caller, &place).await?;
    let (theme, signal) = filters(query(raw)?)?;
    let of = match &theme {
        Some(theme) => MeasuresOf::Theme(theme),
        None => MeasuresOf::All,
    };
    let mut measures = state.app.measures_of(&scope, of).await?;
    // Both: the theme's measures that track the signal.
    if let Some(signal) = &signal {
        measures.retain(|m| &m.signal.id == signal);
    }
    Ok(Json(measures))
}

/// One value of a measure, for a year and the whole place or a ward; it
/// replaces a value for the same year and ward.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewValue {
    #[serde(deserialize_with = "whole")]
    #[schema(minimum = 1900, maximum = 2100)]
    year: i64,
    /// The ward; left out or null for the whole place.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Ward>)]
    ward: Option<Option<Ward>>,
    #[schema(value_type = Decimal)]
    value: Decimal,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Line>)]
    note: Option<Option<Line>>,
}

/// The measure, its values and trend as the caller may see them.
async fn with_values(
    state: &AppState,
    scope: &placeweave_app::Scope,
    key: &str,
) -> Result<MeasureWithValues, Failure> {
    if !placeweave_domain::place::is_slug(key) {
        return Err(Failure::NotFound);
    }
    let detail = state
        .app
        .measure_details(scope, MeasuresOf::Measure(key))
        .await?
        .into_iter()
        .next()
        .ok_or(Failure::NotFound)?;
    Ok(MeasureWithValues {
        measure: detail.measure,
        values: detail.values,
        trend: detail.trend,
    })
}

/// List a measure's values: by year, place-wide values first, then each ward's.
#[utoipa::path(get, path = "/api/v1/places/{place}/measures/{measure}/values", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("measure" = String, Path, description = "Measure id")),
    responses(
        (status = 200, description = "The measure's values", body = [MeasureValue]),
        (status = 404, description = "No such measure", body = Problem, content_type = "application/problem+json")))]
pub async fn values(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Vec<MeasureValue>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(with_values(&state, &scope, &key).await?.values))
}

/// Enter a value of a measure (staff); the answer is the measure with its values.
#[utoipa::path(post, path = "/api/v1/places/{place}/measures/{measure}/values", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("measure" = String, Path, description = "Measure id")), request_body = NewValue,
    responses((status = 200, description = "The measure, its values and trend", body = MeasureWithValues),
        (status = 400, description = "A field is not valid or is unknown (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such measure, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn enter_value(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<MeasureWithValues> {
    let scope = scope(&state, &caller, &place).await?;
    // Who may is answered before what they sent: a measure they cannot
    // see is missing, one they may only read is refused.
    let found = with_values(&state, &scope, &key).await?;
    scope
        .require(
            Action::Update,
            &Target::new(Resource::Measure, found.measure.audience, None),
        )
        .map_err(Failure::from)?;
    let pairs = pairs::<NewValue>(body)?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    state
        .app
        .enter_measure_value(
            &scope,
            &key,
            field("year"),
            field("ward"),
            field("value"),
            field("note"),
        )
        .await
        .map_err(Failure::from)?;
    Ok(Json(with_values(&state, &scope, &key).await?))
}

/// Get a measure with its values and trend.
#[utoipa::path(get, path = "/api/v1/places/{place}/measures/{measure}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("measure" = String, Path, description = "Measure id")),
    responses(
        (status = 200, description = "The measure, its values and trend", body = MeasureWithValues),
        (status = 404, description = "No such measure", body = Problem, content_type = "application/problem+json")))]
pub async fn measure(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<MeasureWithValues> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(with_values(&state, &scope, &key).await?))
}

/// Add a measure to a signal (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/measures", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = NewMeasure,
    responses((status = 200, description = "The new measure", body = Measure),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_measure(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Measure> {
    create::<Measure, NewMeasure>(&state, &caller, &place, body).await
}

/// Change a measure (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/measures/{measure}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("measure" = String, Path, description = "Measure id")), request_body = MeasureChanges,
    responses((status = 200, description = "The measure as changed", body = Measure),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such measure, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_measure(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Measure> {
    update::<Measure, MeasureChanges>(&state, &caller, &place, &key, body).await
}
