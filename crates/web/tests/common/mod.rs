//! Starts the real application on a random port against a fresh database.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use placeweave_store::testing::{TestDatabase, database};
use placeweave_web::{AppState, ServeOptions};

pub struct TestApp {
    pub base: String,
    pub db: TestDatabase,
    pub client: reqwest::Client,
}

pub async fn start_with(db: TestDatabase, place: &str) -> TestApp {
    start_with_https(db, place, false).await
}

pub async fn start_with_https(db: TestDatabase, place: &str, https: bool) -> TestApp {
    start_with_options(db, place, https, ServeOptions::default()).await
}

pub async fn start_with_options(
    db: TestDatabase,
    place: &str,
    https: bool,
    options: ServeOptions,
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let state = AppState::with_options(db.store.clone(), place, https, options);
    tokio::spawn(async move { placeweave_web::serve(state, listener).await });
    TestApp {
        base: format!("http://{addr}"),
        db,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

/// The app serving the Camden demo place.
pub async fn camden() -> TestApp {
    let db = database().await.expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    start_with(db, "camden").await
}

impl TestApp {
    pub async fn get(&self, path: &str) -> (u16, String, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.expect("body");
        (status, content_type, body)
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.get(path).await;
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"));
        (status, value)
    }
}

/// What came back from a request.
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Where a redirect points.
    pub fn location(&self) -> String {
        self.header("location")
    }

    /// The one-time "saved" cookie ("name=value") a save's redirect sets.
    pub fn saved_cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .lines()
            .find(|c| c.starts_with("placeweave-saved=") && !c.contains("Max-Age=0"))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
    }

    /// The session cookie ("name=value") this reply sets, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .lines()
            .find(|c| c.contains("placeweave-session=") && !c.contains("Max-Age=0"))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
    }
}

impl TestApp {
    /// Sends a request as the holder of `cookie` (if any), from this site.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<&[(&str, &str)]>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("origin", self.base.clone());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        }
    }

    pub async fn get_as(&self, cookie: Option<&str>, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, cookie, None).await
    }

    pub async fn post_as(&self, cookie: Option<&str>, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(reqwest::Method::POST, path, cookie, Some(form))
            .await
    }

    /// Creates an account with a password and returns its id.
    pub async fn account(
        &self,
        email: &str,
        role: placeweave_domain::AccountRole,
        organisation: Option<&str>,
        password: &str,
    ) -> i64 {
        let place = self
            .db
            .store
            .place("camden", placeweave_domain::Viewer::Admin)
            .await
            .expect("read")
            .map(|p| p.key);
        let hash = placeweave_web::auth::hash_password(password).expect("hash");
        let mut tx = self.db.store.begin().await.expect("begin");
        let id = tx
            .insert_account(
                &placeweave_store::accounts::NewAccount {
                    email: email.into(),
                    display_name: format!("Test {email}"),
                    role,
                    place,
                    organisation: organisation.map(str::to_owned),
                    password_hash: Some(hash),
                    team: None,
                },
                placeweave_web::auth::now(),
            )
            .await
            .expect("account");
        placeweave_store::testing::commit(tx).await.expect("commit");
        id
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let reply = self
            .post_as(
                None,
                "/sign-in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(reply.status, 303, "sign-in as {email}: {}", reply.body);
        reply.session_cookie().expect("session cookie")
    }

    /// Runs one SQL statement directly, for tests that age sessions or
    /// set up what no form can. Like every real write it moves the data
    /// version on, so answers kept for the version before it are not reused.
    pub async fn sql(&self, statement: &str) {
        let audit = "INSERT INTO data_version (id, version) VALUES (1, 1) \
                     ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1";
        match &self.db.store {
            placeweave_store::Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => {
                sqlx::query(statement).execute(pool).await.expect("sql");
                sqlx::query(audit).execute(pool).await.expect("sql");
            }
            placeweave_store::Store::Postgres(pool) => {
                sqlx::query(statement).execute(pool).await.expect("sql");
                sqlx::query(audit).execute(pool).await.expect("sql");
            }
        }
        placeweave_store::testing::raw_write_committed();
    }
}

pub const PASSWORD: &str = "violet kettle harbour";

/// The version an edit form names (its hidden `version` field).
pub fn version_of(body: &str) -> String {
    body.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("version field")
        .to_owned()
}

/// The Camden app with one account of each kind; returns their cookies as
/// (partner at UCL, partner at the Roundhouse, staff, admin).
pub async fn camden_with_accounts() -> (TestApp, [String; 4]) {
    use placeweave_domain::AccountRole;
    let app = camden().await;
    app.account(
        "ucl@partner.example",
        AccountRole::Partner,
        Some("ucl"),
        PASSWORD,
    )
    .await;
    app.account(
        "roundhouse@partner.example",
        AccountRole::Partner,
        Some("roundhouse"),
        PASSWORD,
    )
    .await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    app.account("admin@camden.example", AccountRole::Admin, None, PASSWORD)
        .await;
    let mut cookies = Vec::new();
    for email in [
        "ucl@partner.example",
        "roundhouse@partner.example",
        "staff@camden.example",
        "admin@camden.example",
    ] {
        cookies.push(app.sign_in(email, PASSWORD).await);
    }
    let cookies: [String; 4] = cookies.try_into().expect("four cookies");
    (app, cookies)
}

/// What a request carries.
pub enum Body<'a> {
    None,
    Form(&'a [(&'a str, &'a str)]),
    Json(&'a serde_json::Value),
}

impl TestApp {
    /// Serves the place `place` from the same database on another port (the
    /// pages of a server show one place) and returns its base address.
    pub async fn serve_place(&self, place: &str) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let state = AppState::new(self.db.store.clone(), place, false);
        tokio::spawn(async move { placeweave_web::serve(state, listener).await });
        format!("http://{addr}")
    }

    /// Sends a request to `base` (this app's or another server's on the same
    /// database) as the holder of `cookie`, from that site.
    /// Sends `body` as JSON with PUT, signed in with `cookie`.
    #[allow(dead_code)]
    pub async fn put_json(&self, cookie: &str, path: &str, body: &serde_json::Value) -> Reply {
        self.send_to(
            &self.base,
            reqwest::Method::PUT,
            path,
            Some(cookie),
            Body::Json(body),
        )
        .await
    }

    /// A JSON answer read with `cookie`, and its status.
    #[allow(dead_code)]
    pub async fn json_as(&self, cookie: &str, path: &str) -> (u16, serde_json::Value) {
        let reply = self.get_as(Some(cookie), path).await;
        let value = serde_json::from_str(&reply.body)
            .unwrap_or_else(|e| panic!("{path}: {e}: {}", reply.body));
        (reply.status, value)
    }

    pub async fn send_to(
        &self,
        base: &str,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Body<'_>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{base}{path}"))
            .header("origin", base);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request = match body {
            Body::None => request,
            Body::Form(form) => request.form(form),
            Body::Json(value) => request.json(value),
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        }
    }

    /// The database key of a place.
    pub async fn place_key(&self, slug: &str) -> i64 {
        self.db
            .store
            .place(slug, placeweave_domain::Viewer::Admin)
            .await
            .expect("read")
            .expect("place")
            .key
    }

    /// The database id of the organisation `slug` in place `place` (a key).
    pub async fn organisation_key(&self, place: i64, slug: &str) -> i64 {
        self.record_key("organisation", place, slug).await
    }

    /// The database id of the record `slug` of `table` in place `place`.
    #[allow(dead_code)]
    pub async fn record_key(&self, table: &str, place: i64, slug: &str) -> i64 {
        let query = format!("SELECT id FROM {table} WHERE place_id = $1 AND slug = $2");
        let query = query.as_str();
        let row: (i64,) = match &self.db.store {
            placeweave_store::Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => {
                sqlx::query_as(query)
                    .bind(place)
                    .bind(slug)
                    .fetch_one(pool)
                    .await
                    .expect("organisation")
            }
            placeweave_store::Store::Postgres(pool) => sqlx::query_as(query)
                .bind(place)
                .bind(slug)
                .fetch_one(pool)
                .await
                .expect("organisation"),
        };
        row.0
    }
}
