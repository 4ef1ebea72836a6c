//! A place's required pages: read by everyone (the default text until an
//! administrator writes one), changed by administrators with a version
//! check and an audit line.

use placeweave_domain::place_page::{PageKind, PlacePage, check_body};
use placeweave_domain::{Action, Resource, Target};
use placeweave_store::changes;
use placeweave_store::privacy::AuditLine;
use serde_json::json;

use crate::{App, AppError, Result, Scope, now};

impl App {
    /// A required page of the scope's place.
    pub async fn place_page(&self, scope: &Scope, kind: PageKind) -> Result<PlacePage> {
        scope.require(Action::Read, &Target::kind(Resource::PlacePage))?;
        Ok(match self.store.place_page(scope.key(), kind).await? {
            Some(stored) => PlacePage {
                kind,
                body: stored.body,
                version: stored.version,
                updated_at: Some(stored.updated_at),
            },
            None => PlacePage::default_for(kind, &scope.place().place),
        })
    }

    /// Replaces a page's text, if it is still at `version` (the version the
    /// editor read; 0 for the default text). Unchanged text writes nothing.
    pub async fn save_place_page(
        &self,
        scope: &Scope,
        kind: PageKind,
        body: &str,
        version: i64,
    ) -> Result<PlacePage> {
        scope.require(Action::Update, &Target::kind(Resource::PlacePage))?;
        let body = check_body(body).map_err(|e| AppError::Invalid(vec![e]))?;
        let current = self.place_page(scope, kind).await?;
        if current.version != version {
            return Err(AppError::Conflict);
        }
        if current.body == body {
            return Ok(current);
        }
        let now = now();
        let mut tx = self.store.begin().await?;
        let saved = tx
            .save_place_page(scope.key(), kind, &body, version, now)
            .await?;
        let detail = changes(
            &json!({ "body": current.body }),
            &json!({ "body": body }),
            &[],
        );
        let audited = tx
            .audit(
                &AuditLine {
                    actor: scope.actor(),
                    action: "update",
                    record_type: "place-page",
                    record_id: Some(format!("{}/{}", scope.place().place.id, kind.slug())),
                    detail: Some(serde_json::Value::Object(detail).to_string()),
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(PlacePage {
            kind,
            body,
            version: saved,
            updated_at: Some(now),
        })
    }
}
