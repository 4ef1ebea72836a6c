//! The partnership team's report (conversion, time in each stage, gone
//! quiet, late follow-ups) and their coordination (who in the council has
//! been in touch with a partner, and a word when someone from another team
//! met them recently). Staff and admins only: the domain's policy on
//! relationships and interactions decides.

use std::collections::BTreeMap;

use placeweave_domain::date::iso_date;
use placeweave_domain::interaction::{AUDIENCE as INTERACTION_AUDIENCE, Interaction};
use placeweave_domain::partnership_report::{
    COORDINATION_DAYS, Conversion, ReportQuery, StageRow, conversion, days_before,
};
use placeweave_domain::place::RecordRef;
use placeweave_domain::relationship::{AUDIENCE, RelationshipStage};
use placeweave_domain::{Action, Organisation, Resource, Target};
pub use placeweave_store::partnership::{
    ContactRow, LateFollowUp, QuietRelationship, UpcomingInteraction,
};

use crate::{App, Result, Scope, now};

/// How many interactions the "who has been in touch" page reads.
const CONTACTS_LOG_ROWS: i64 = 500;

/// The report for one period and one "gone quiet" threshold.
#[derive(Debug, Clone)]
pub struct PartnershipReport {
    pub conversion: Conversion,
    pub quiet: Vec<QuietRelationship>,
    pub late: Vec<LateFollowUp>,
}

/// One person in the council who has been in touch with a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InTouch {
    pub name: String,
    pub team: Option<String>,
    pub interactions: usize,
    /// Their latest interaction up to today, and their next one after it.
    pub last: Option<String>,
    pub next: Option<String>,
}

/// Everyone who has been in touch with a partner, and the interactions.
#[derive(Debug, Clone)]
pub struct ContactsLog {
    pub organisation: Organisation,
    pub people: Vec<InTouch>,
    /// Each interaction once: (id, date, kind, who took part), newest first.
    pub upcoming: Vec<(i64, String, String, Vec<String>)>,
    pub recent: Vec<(i64, String, String, Vec<String>)>,
}

/// The others who met one of an interaction's organisations recently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordination {
    /// An organisation taking part in the interaction.
    pub organisation: RecordRef,
    /// Others who met it recently.
    pub notes: Vec<CoordinationNote>,
}

/// Someone else who met the organisation recently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinationNote {
    pub name: String,
    pub date: String,
    /// True when both have a team and the teams differ.
    pub another_team: bool,
}

fn require_staff_reads(scope: &Scope) -> Result<()> {
    scope.require(
        Action::Read,
        &Target::kind_at(Resource::Relationship, AUDIENCE),
    )?;
    scope.require(
        Action::Read,
        &Target::kind_at(Resource::Interaction, INTERACTION_AUDIENCE),
    )?;
    Ok(())
}

impl App {
    /// The report over `query`'s period, as of today.
    pub async fn partnership_report(
        &self,
        scope: &Scope,
        query: &ReportQuery,
    ) -> Result<PartnershipReport> {
        require_staff_reads(scope)?;
        let today = iso_date(now());
        let history: Vec<StageRow> = self
            .store
            .stage_history(scope.key(), scope.viewer())
            .await?
            .into_iter()
            .filter_map(|row| {
                Some(StageRow {
                    relationship: row.relationship,
                    stage: RelationshipStage::parse(&row.stage)?,
                    date: row.changed_on,
                })
            })
            .collect();
        let since = days_before(&today, query.quiet_days);
        Ok(PartnershipReport {
            conversion: conversion(&history, &query.from, &query.to),
            quiet: self
                .store
                .quiet_relationships(scope.key(), scope.viewer(), &since, &today)
                .await?,
            late: self
                .store
                .late_follow_ups(scope.key(), scope.viewer(), &today)
                .await?,
        })
    }

    /// The interactions after today that the caller takes part in.
    pub async fn upcoming_interactions(
        &self,
        scope: &Scope,
        limit: i64,
    ) -> Result<Vec<UpcomingInteraction>> {
        require_staff_reads(scope)?;
        let Some(me) = scope.actor() else {
            return Ok(vec![]);
        };
        Ok(self
            .store
            .upcoming_interactions(scope.key(), scope.viewer(), me, &iso_date(now()), limit)
            .await?)
    }

    /// Everyone in the council who has been in touch with the partner
    /// `slug`; a partner the caller may not see is not found.
    pub async fn contacts_log(&self, scope: &Scope, slug: &str) -> Result<ContactsLog> {
        require_staff_reads(scope)?;
        let organisation = self.get::<Organisation>(scope, &slug.to_owned()).await?;
        let rows = self
            .store
            .contacts_log(scope.key(), scope.viewer(), slug, None, CONTACTS_LOG_ROWS)
            .await?;
        let today = iso_date(now());
        let mut people: BTreeMap<i64, InTouch> = BTreeMap::new();
        let mut interactions: Vec<(i64, String, String, Vec<String>)> = vec![];
        for row in rows {
            let person = people.entry(row.account).or_insert_with(|| InTouch {
                name: row.display_name.clone(),
                team: row.team.clone(),
                interactions: 0,
                last: None,
                next: None,
            });
            person.interactions += 1;
            // Rows come newest first: the first past one is the latest, the
            // last future one the soonest.
            if row.occurred_on <= today {
                person.last.get_or_insert_with(|| row.occurred_on.clone());
            } else {
                person.next = Some(row.occurred_on.clone());
            }
            match interactions.last_mut() {
                Some(last) if last.0 == row.interaction => last.3.push(row.display_name),
                _ => interactions.push((
                    row.interaction,
                    row.occurred_on,
                    row.kind,
                    vec![row.display_name],
                )),
            }
        }
        let mut people: Vec<InTouch> = people.into_values().collect();
        people.sort_by(|a, b| b.last.cmp(&a.last).then(a.name.cmp(&b.name)));
        let (mut upcoming, recent): (Vec<_>, Vec<_>) =
            interactions.into_iter().partition(|i| i.1 > today);
        upcoming.reverse();
        Ok(ContactsLog {
            organisation,
            people,
            upcoming,
            recent,
        })
    }

    /// Who else met `interaction`'s partner in the last
    /// [`COORDINATION_DAYS`] days (up to today), each once with their
    /// latest date: not the caller, not this interaction, and not someone
    /// in the caller's own team.
    pub async fn coordination_notes(
        &self,
        scope: &Scope,
        interaction: &Interaction,
    ) -> Result<Vec<Coordination>> {
        require_staff_reads(scope)?;
        let Some(me) = scope.actor() else {
            return Ok(vec![]);
        };
        let my_team = self.store.account_team(me).await?;
        let today = iso_date(now());
        let since = days_before(&today, COORDINATION_DAYS);
        let mut out = Vec::new();
        // Each organisation taking part: a roundtable's others too.
        for organisation in interaction.organisations() {
            let rows = self
                .store
                .contacts_log(
                    scope.key(),
                    scope.viewer(),
                    &organisation.id,
                    Some(&since),
                    CONTACTS_LOG_ROWS,
                )
                .await?;
            let mut notes: Vec<CoordinationNote> = vec![];
            for row in rows {
                let same_team = my_team.is_some() && row.team == my_team;
                if row.interaction == interaction.id
                    || row.account == me
                    || same_team
                    || row.occurred_on > today
                    || notes.iter().any(|n| n.name == row.display_name)
                {
                    continue;
                }
                notes.push(CoordinationNote {
                    another_team: my_team.is_some() && row.team.is_some(),
                    name: row.display_name,
                    date: row.occurred_on,
                });
            }
            if !notes.is_empty() {
                out.push(Coordination {
                    organisation: organisation.clone(),
                    notes,
                });
            }
        }
        Ok(out)
    }
}
