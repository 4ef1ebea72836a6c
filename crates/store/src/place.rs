//! Places: a borough or area and its convening organisation, and the
//! headline numbers of its home page.

use placeweave_domain::licence::DataLicence;
use placeweave_domain::place::Headline;
use placeweave_domain::{Place, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::record::{audience, rank};
use crate::sql::{Count, Sql, sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct PlaceRow {
    id: i64,
    slug: String,
    name: String,
    convening_organisation: String,
    description: Option<String>,
    synthetic: bool,
    audience: String,
    data_licence: Option<String>,
}

/// A place as loaded, with its database id for scoping further reads.
#[derive(Debug, Clone)]
pub struct PlaceRecord {
    pub key: i64,
    pub place: Place,
    /// What its open data is published under.
    pub licence: DataLicence,
}

fn place_from(row: PlaceRow) -> Result<PlaceRecord> {
    Ok(PlaceRecord {
        key: row.id,
        place: Place {
            id: row.slug,
            name: row.name,
            convening_organisation: row.convening_organisation,
            description: row.description,
            synthetic: row.synthetic,
            audience: audience(&row.audience)?,
        },
        licence: DataLicence::stored(row.data_licence.as_deref()).ok_or_else(|| {
            StoreError::Corrupt {
                column: "place.data_licence",
                value: row.data_licence.clone().unwrap_or_default(),
            }
        })?,
    })
}

const PLACE_COLUMNS: &str = "SELECT id, slug, name, convening_organisation, description, synthetic, audience, \
     data_licence FROM place p";

impl Store {
    pub async fn places(&self, viewer: Viewer) -> Result<Vec<PlaceRecord>> {
        let mut sql = Sql::new(PLACE_COLUMNS);
        let r = sql.arg(rank(viewer));
        sql.push(&format!(" WHERE {} ORDER BY name, id", visible("p", &r)));
        self.exec()
            .all::<PlaceRow>(sql)
            .await?
            .into_iter()
            .map(place_from)
            .collect()
    }

    pub async fn place(&self, slug: &str, viewer: Viewer) -> Result<Option<PlaceRecord>> {
        let mut sql = Sql::new(PLACE_COLUMNS);
        let s = sql.arg(slug);
        let r = sql.arg(rank(viewer));
        sql.push(&format!(" WHERE p.slug = {s} AND {}", visible("p", &r)));
        self.exec()
            .optional::<PlaceRow>(sql)
            .await?
            .map(place_from)
            .transpose()
    }

    /// The home page's numbers: each counts only what the viewer may see,
    /// so a commitment of a hidden organisation is not counted.
    pub async fn headline(&self, place: i64, viewer: Viewer) -> Result<Headline> {
        let count = |table: &str, extra: &str| {
            sql!(
                format!(
                    "SELECT COUNT(*) AS n FROM {table} x WHERE x.place_id = $1 AND {}{extra}",
                    visible("x", "$2")
                ),
                place,
                rank(viewer)
            )
        };
        let visible_organisation = format!(
            " AND EXISTS (SELECT 1 FROM organisation o WHERE o.id = x.organisation_id AND {})",
            visible("o", "$2")
        );
        Ok(Headline {
            organisations: self.exec().one::<Count>(count("organisation", "")).await?.n,
            anchor_institutions: self
                .exec()
                .one::<Count>(count("organisation", " AND x.is_anchor = TRUE"))
                .await?
                .n,
            missions: self.exec().one::<Count>(count("mission", "")).await?.n,
            roles: self.exec().one::<Count>(count("role", "")).await?.n,
            commitments: self
                .exec()
                .one::<Count>(count("commitment", &visible_organisation))
                .await?
                .n,
            initiatives: self.exec().one::<Count>(count("initiative", "")).await?.n,
        })
    }
}

impl Tx {
    pub async fn insert_place(&mut self, place: &Place) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO place (slug, name, convening_organisation, description, synthetic, audience) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            place.id.as_str(),
            place.name.as_str(),
            place.convening_organisation.as_str(),
            place.description.clone(),
            place.synthetic,
            place.audience.as_str(),
        );
        self.returning_id(sql)
            .await
            .map_err(|e| duplicate(e, || format!("a place with id \"{}\"", place.id)))
    }
}
