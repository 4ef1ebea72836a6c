//! The outcomes framework's signals, measures and values over HTTP: staff
//! add them from forms that name each bad field, the public reads public
//! ones only (a hidden measure is missing), a measure's chart comes with
//! the same numbers in a table, and a file of values imports all or
//! nothing, reporting every bad row by line, and round-trips through the
//! CSV download.

mod common;

use common::{Body, PASSWORD, camden_with_accounts, version_of};
use placeweave_app::outcome::ImportError;
use placeweave_app::{App, Operator};

#[tokio::test]
async fn staff_add_a_signal_and_measure_and_the_public_reads_them() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;

    // The demo seeds the health theme's signal and measure, with no values.
    let theme = app.get_as(None, "/themes/health").await;
    assert_eq!(theme.status, 200, "{}", theme.body);
    assert!(theme.body.contains("People live long and healthy lives"));
    assert!(theme.body.contains("/measures/healthy-life-expectancy"));
    assert!(theme.body.contains("No values yet"));

    // An empty signal form names each field.
    let refused = app.post_as(Some(&staff), "/signals/new", &[]).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("Enter the signal&#39;s name")
            || refused.body.contains("Enter the signal's name"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("href=\"#theme\""), "theme named");

    let saved = app
        .post_as(
            Some(&staff),
            "/signals/new",
            &[
                ("theme", "safety"),
                ("name", "People feel safe at night"),
                ("description", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    // A measure: each wrong field named, then saved.
    let refused = app
        .post_as(
            Some(&staff),
            "/measures/new",
            &[
                ("signal", "no-such-signal"),
                ("name", ""),
                ("unit", ""),
                ("direction", "sideways"),
                ("source", ""),
                ("source_url", "not a url"),
                ("licence", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    for field in ["name", "unit", "direction", "source_url"] {
        assert!(
            refused.body.contains(&format!("href=\"#{field}\"")),
            "{field} named: {}",
            refused.body
        );
    }
    let measure = [
        ("signal", "people-feel-safe-at-night"),
        ("name", "Residents feeling safe after dark"),
        ("unit", "% of residents"),
        ("direction", "higher"),
        ("source", "Demonstration record: Camden resident survey"),
        ("source_url", "https://www.camden.gov.uk"),
        ("licence", "Open Government Licence v3.0"),
        ("audience", "public"),
    ];
    let saved = app.post_as(Some(&staff), "/measures/new", &measure).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .location()
            .starts_with("/measures/residents-feeling-safe-after-dark")
    );

    // A value: bad fields named, then two years entered.
    let path = "/measures/residents-feeling-safe-after-dark/values/new";
    let refused = app
        .post_as(Some(&staff), path, &[("year", "24"), ("value", "lots")])
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("href=\"#year\"") && refused.body.contains("href=\"#value\""));
    for (year, value) in [("2023", "61"), ("2024", "64.5")] {
        let ok = app
            .post_as(
                Some(&staff),
                path,
                &[("year", year), ("value", value), ("ward", ""), ("note", "")],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
    }
    let ward = app
        .post_as(
            Some(&staff),
            path,
            &[
                ("year", "2024"),
                ("value", "58"),
                ("ward", "Kilburn"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(ward.status, 303);

    // The public sees the chart, the same numbers in the table, the ward
    // table and the trend in words; partners may not enter values.
    let page = app
        .get_as(None, "/measures/residents-feeling-safe-after-dark")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg role=\"img\""));
    assert!(page.body.contains("<title id=\"chart-title\">"));
    // Drawn by plotters: the line through both years' points, labelled.
    let svg = &page.body[page.body.find("<svg role").expect("chart")..];
    let svg = &svg[..svg.find("</svg>").expect("closed")];
    assert!(svg.contains("<polyline"), "{svg}");
    assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
    let labels: Vec<&str> = svg
        .split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .map(str::trim)
        .collect();
    assert!(
        labels.contains(&"2023") && labels.contains(&"2024"),
        "{labels:?}"
    );
    assert!(
        page.body.contains("2023: 61; 2024: 64.5"),
        "desc lists the values"
    );
    assert!(
        page.body
            .contains("<th scope=\"row\" class=\"govuk-table__header\">2023</th>")
    );
    assert!(page.body.contains(">64.5</td>"));
    assert!(page.body.contains(">Kilburn</th>"));
    assert!(page.body.contains("up on 2023: better"));
    assert!(!page.body.contains("Enter a value"));
    let partner = app.get_as(Some(&ucl), path).await;
    assert!(matches!(partner.status, 403 | 404), "{}", partner.status);

    // Hidden is missing: a staff-only measure is a 404 to the public, its
    // values too, and it is not listed.
    let edit = app
        .get_as(
            Some(&staff),
            "/measures/residents-feeling-safe-after-dark/edit",
        )
        .await;
    let version = version_of(&edit.body);
    let mut hidden = measure.to_vec();
    hidden.retain(|(k, _)| *k != "audience");
    hidden.push(("audience", "staff"));
    hidden.push(("version", &version));
    let saved = app
        .post_as(
            Some(&staff),
            "/measures/residents-feeling-safe-after-dark/edit",
            &hidden,
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    for path in [
        "/measures/residents-feeling-safe-after-dark",
        "/measures/residents-feeling-safe-after-dark/values.csv",
        "/measures/residents-feeling-safe-after-dark/values.json",
    ] {
        assert_eq!(app.get_as(None, path).await.status, 404, "{path}");
        assert_eq!(app.get_as(Some(&staff), path).await.status, 200, "{path}");
    }
    let theme = app.get_as(None, "/themes/safety").await;
    assert!(!theme.body.contains("residents-feeling-safe-after-dark"));
    let theme = app.get_as(Some(&staff), "/themes/safety").await;
    assert!(theme.body.contains("residents-feeling-safe-after-dark"));
    let _ = PASSWORD;
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_a_good_one_round_trips() {
    let (app, [_ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let import = App::new(app.db.store.clone());

    let bad = "measure,year,ward,value,note\n\
               healthy-life-expectancy,2022,,60.1,\n\
               no-such-measure,2023,,61,\n\
               healthy-life-expectancy,twenty,,61,\n\
               healthy-life-expectancy,2024,,6 1,\n";
    let Err(ImportError::Rows { rows, .. }) = import
        .import_measure_values_as(Operator::CommandLine, "camden", bad.as_bytes())
        .await
    else {
        panic!("a bad file is refused");
    };
    let found: Vec<(usize, &str)> = rows.iter().map(|r| (r.line, r.field.as_str())).collect();
    assert_eq!(found, [(3, "measure"), (4, "year"), (5, "value")]);
    let csv = app
        .get_as(None, "/measures/healthy-life-expectancy/values.csv")
        .await;
    assert_eq!(
        csv.body.trim(),
        "measure,year,ward,value,note",
        "nothing imported"
    );

    let good = "measure,year,ward,value,note\n\
                healthy-life-expectancy,2022,,60.1,Demonstration record\n\
                healthy-life-expectancy,2023,,59.8,Demonstration record\n\
                healthy-life-expectancy,2023,Kilburn,57,\"Demonstration record, ward\"\n";
    let n = import
        .import_measure_values_as(Operator::CommandLine, "camden", good.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("imported: {e:?}"));
    assert_eq!(n, 3);
    let csv = app
        .get_as(None, "/measures/healthy-life-expectancy/values.csv")
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    // Place-wide values first, then wards, each in year order.
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&csv.body), sorted(good), "round trip");
    // Importing the download again changes nothing.
    import
        .import_measure_values_as(Operator::CommandLine, "camden", csv.body.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("re-imported: {e:?}"));
    let again = app
        .get_as(None, "/measures/healthy-life-expectancy/values.csv")
        .await;
    assert_eq!(again.body, csv.body);

    let json = app
        .get_as(None, "/measures/healthy-life-expectancy/values.json")
        .await;
    let value: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(value["values"].as_array().map(Vec::len), Some(3));
    assert!(value.get("licence").is_some());

    // The mission page's measures: health's measure, down a year: worse.
    app.sql(
        "INSERT INTO mission_theme (mission_id, outcome_theme_id) \
         SELECT m.id, t.id FROM mission m JOIN outcome_theme t ON t.place_id = m.place_id \
         WHERE m.slug = 'healthy-estates' AND t.slug = 'health'",
    )
    .await;
    let mission = app.get_as(Some(&staff), "/missions/healthy-estates").await;
    assert!(mission.body.contains("id=\"measures\""), "{}", mission.body);
    assert!(
        mission.body.contains("down on 2022: worse"),
        "{}",
        mission.body
    );
}

#[tokio::test]
async fn the_api_reads_and_writes_signals_and_measures_under_the_same_policy() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let api = "/api/v1/places/camden";
    let json = |reply: &common::Reply| -> serde_json::Value {
        serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
    };
    let send =
        |method: reqwest::Method, path: String, cookie: Option<String>, body: serde_json::Value| {
            let app = &app;
            async move {
                app.send_to(
                    &app.base,
                    method,
                    &path,
                    cookie.as_deref(),
                    Body::Json(&body),
                )
                .await
            }
        };

    // Everyone reads the public framework.
    let signals = app
        .get_as(None, &format!("{api}/signals?theme=health"))
        .await;
    assert_eq!(signals.status, 200, "{}", signals.body);
    assert_eq!(json(&signals)[0]["id"], "long-healthy-lives");
    let measure = app
        .get_as(None, &format!("{api}/measures/healthy-life-expectancy"))
        .await;
    assert_eq!(measure.status, 200, "{}", measure.body);
    let doc = json(&measure);
    assert_eq!(doc["measure"]["direction"], "higher");
    assert_eq!(doc["values"], serde_json::json!([]));
    assert!(doc["trend"].is_null());
    // Both filters: the theme's measures tracking the signal.
    let both = app
        .get_as(
            None,
            &format!("{api}/measures?theme=health&signal=long-healthy-lives"),
        )
        .await;
    assert_eq!(both.status, 200, "{}", both.body);
    assert_eq!(json(&both)[0]["id"], "healthy-life-expectancy");
    let none = app
        .get_as(
            None,
            &format!("{api}/measures?theme=safety&signal=long-healthy-lives"),
        )
        .await;
    assert_eq!(json(&none), serde_json::json!([]));
    let bad = app
        .get_as(None, &format!("{api}/measures?theme=Not%20an%20id"))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("\"theme\""), "{}", bad.body);

    // Partners may not add to it; staff may, and a bad field is named.
    let signal = serde_json::json!({
        "theme": "health", "name": "Fewer people smoke", "audience": "staff"
    });
    let refused = send(
        reqwest::Method::POST,
        format!("{api}/signals"),
        Some(ucl.clone()),
        signal.clone(),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let made = send(
        reqwest::Method::POST,
        format!("{api}/signals"),
        Some(staff.clone()),
        signal,
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(json(&made)["id"], "fewer-people-smoke");
    let bad = send(
        reqwest::Method::POST,
        format!("{api}/measures"),
        Some(staff.clone()),
        serde_json::json!({
            "signal": "fewer-people-smoke", "name": "Smoking prevalence",
            "unit": "% of adults", "direction": "sideways", "audience": "staff"
        }),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("direction"), "{}", bad.body);
    let made = send(
        reqwest::Method::POST,
        format!("{api}/measures"),
        Some(staff.clone()),
        serde_json::json!({
            "signal": "fewer-people-smoke", "name": "Smoking prevalence",
            "unit": "% of adults", "direction": "lower", "audience": "staff",
            "source": "Office for National Statistics"
        }),
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let version = json(&made)["version"].as_i64().expect("version");

    // Staff-only: the public's lists and reads treat it as missing.
    for path in [
        format!("{api}/signals/fewer-people-smoke"),
        format!("{api}/measures/smoking-prevalence"),
    ] {
        assert_eq!(app.get_as(None, &path).await.status, 404, "{path}");
        assert_eq!(app.get_as(Some(&staff), &path).await.status, 200, "{path}");
    }
    let public = json(&app.get_as(None, &format!("{api}/measures")).await);
    assert!(
        public
            .as_array()
            .expect("a list")
            .iter()
            .all(|m| m["id"] != "smoking-prevalence")
    );

    // A change names the version read; a stale one is a conflict.
    let changed = send(
        reqwest::Method::PUT,
        format!("{api}/measures/smoking-prevalence"),
        Some(staff.clone()),
        serde_json::json!({ "version": version, "audience": "public" }),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let stale = send(
        reqwest::Method::PUT,
        format!("{api}/measures/smoking-prevalence"),
        Some(staff.clone()),
        serde_json::json!({ "version": version, "unit": "%" }),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);

    // Values: staff enter them; partners are refused, the public asked to
    // sign in, and a bad field is named.
    let values = format!("{api}/measures/healthy-life-expectancy/values");
    let value =
        serde_json::json!({ "year": 2023, "value": "60.4", "note": "Demonstration record" });
    let public = send(reqwest::Method::POST, values.clone(), None, value.clone()).await;
    assert_eq!(public.status, 401, "{}", public.body);
    let partner = send(
        reqwest::Method::POST,
        values.clone(),
        Some(ucl.clone()),
        value.clone(),
    )
    .await;
    assert_eq!(partner.status, 403, "{}", partner.body);
    let entered = send(
        reqwest::Method::POST,
        values.clone(),
        Some(staff.clone()),
        value,
    )
    .await;
    assert_eq!(entered.status, 200, "{}", entered.body);
    let doc = json(&entered);
    assert_eq!(doc["values"][0]["value"], "60.4");
    assert_eq!(doc["values"][0]["ward"], serde_json::Value::Null);
    let bad = send(
        reqwest::Method::POST,
        values.clone(),
        Some(staff.clone()),
        serde_json::json!({ "year": 2023, "value": "6 1" }),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("\"value\""), "{}", bad.body);
    let early = send(
        reqwest::Method::POST,
        values,
        Some(staff.clone()),
        serde_json::json!({ "year": 1800, "value": "1" }),
    )
    .await;
    assert_eq!(early.status, 400, "{}", early.body);
    assert!(early.body.contains("\"year\""), "{}", early.body);
}

/// A workbook whose first sheet holds `rows` (numbers where they parse).
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (
                u32::try_from(r).expect("row"),
                u16::try_from(c).expect("column"),
            );
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).map(|_| ()),
                Err(_) => sheet.write_string(r, c, *cell).map(|_| ()),
            }
            .expect("written");
        }
    }
    book.save_to_buffer().expect("saved")
}

async fn upload(app: &common::TestApp, cookie: &str, name: &str, file: Vec<u8>) -> common::Reply {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name(name.to_owned()),
    );
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/import/measure-values", app.base))
        .header("origin", app.base.clone())
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .expect("sent");
    common::Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

#[tokio::test]
async fn staff_upload_a_csv_or_excel_file_of_values_all_or_nothing() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let page = app.get_as(Some(&staff), "/import/measure-values").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert_eq!(
        app.get_as(Some(&ucl), "/import/measure-values")
            .await
            .status,
        403
    );
    let values = "/measures/healthy-life-expectancy/values.csv";

    // No file: the field is named.
    let none = app
        .post_as(Some(&staff), "/import/measure-values", &[])
        .await;
    assert_eq!(none.status, 400);
    assert!(none.body.contains("href=\"#file\""), "{}", none.body);

    // A workbook with a bad row: every bad row listed, nothing imported.
    let bad = workbook(&[
        &["measure", "year", "ward", "value", "note"],
        &["healthy-life-expectancy", "2022", "", "60.1", ""],
        &["no-such-measure", "2023", "", "61", ""],
    ]);
    let refused = upload(&app, &staff, "bad.xlsx", bad).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("1 row of the file could not be read"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("There is no measure &#34;no-such-measure&#34;")
            || refused
                .body
                .contains("There is no measure &quot;no-such-measure&quot;"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<td class=\"govuk-table__cell\">3</td>"),
        "line 3 named"
    );
    let csv = app.get_as(None, values).await;
    assert_eq!(
        csv.body.trim(),
        "measure,year,ward,value,note",
        "nothing imported"
    );

    // A good workbook and a good CSV file both import.
    let good = workbook(&[
        &["measure", "year", "ward", "value", "note"],
        &[
            "healthy-life-expectancy",
            "2022",
            "",
            "60.1",
            "Demonstration record",
        ],
        &["healthy-life-expectancy", "2023", "Kilburn", "57", ""],
    ]);
    let saved = upload(&app, &staff, "good.xlsx", good).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.header("location").contains("saved=values-imported"));
    let text = "measure,year,ward,value,note\nhealthy-life-expectancy,2024,,61.5,\n";
    let saved = upload(&app, &staff, "good.csv", text.as_bytes().to_vec()).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let csv = app.get_as(None, values).await.body;
    for line in [
        "healthy-life-expectancy,2022,,60.1,Demonstration record",
        "healthy-life-expectancy,2023,Kilburn,57,",
        "healthy-life-expectancy,2024,,61.5,",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line} in {csv}");
    }

    // Not a workbook at all, though it starts like one.
    let broken = upload(
        &app,
        &staff,
        "broken.xlsx",
        b"PK\x03\x04 not a zip".to_vec(),
    )
    .await;
    assert_eq!(broken.status, 400, "{}", broken.body);
    assert!(
        broken.body.contains("not an Excel workbook"),
        "{}",
        broken.body
    );
}
