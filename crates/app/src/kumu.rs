//! Importing a Kumu project export (the JSON Kumu writes) into
//! organisations and initiatives. An element becomes one or the other by
//! its element type; a connection between an organisation and an
//! initiative becomes the organisation's part in it. What has no place in
//! Placeweave (people, outcomes, an organisation linked straight to
//! another) is reported, never guessed at, and a file with any problem
//! imports nothing. The file is read within [`Limits::KUMU`], in one pass:
//! every element and connection is looked up by key, never searched for.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use placeweave_domain::edit::{Absent, Submitted};
use placeweave_domain::place::slugify;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{Action, Audience, DomainError, Initiative, Organisation};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::record::Record;
use crate::upload::{Clock, Limits, Refused};
use crate::{App, AppError, Scope};

/// Element types read as organisations besides the names of Placeweave's
/// own kinds, and those read as initiatives.
const ORGANISATION_TYPES: [&str; 6] = [
    "organisation",
    "organization",
    "stakeholder",
    "partner",
    "institution",
    "company",
];
const INITIATIVE_TYPES: [&str; 5] = [
    "initiative",
    "project",
    "programme",
    "program",
    "partnership",
];

/// How a project's elements are read.
#[derive(Debug, Clone)]
pub struct KumuMapping {
    /// Further element types to read as organisations.
    pub organisation_types: Vec<String>,
    /// Further element types to read as initiatives.
    pub initiative_types: Vec<String>,
    /// Who may see what is imported: staff until someone publishes it.
    pub audience: Audience,
    /// The kind of an organisation whose element type names none.
    pub kind: OrganisationKind,
    /// Check and report, writing nothing.
    pub dry_run: bool,
}

impl Default for KumuMapping {
    fn default() -> Self {
        Self {
            organisation_types: Vec::new(),
            initiative_types: Vec::new(),
            audience: Audience::Staff,
            kind: OrganisationKind::Other,
            dry_run: false,
        }
    }
}

/// What an import did (in a dry run, what it would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KumuReport {
    pub project: Option<String>,
    pub elements: usize,
    pub connections: usize,
    /// Names of the organisations and initiatives created.
    pub organisations: Vec<String>,
    pub initiatives: Vec<String>,
    /// Elements naming an organisation the place already has, which is
    /// left as it is and linked to the new initiatives.
    pub existing: Vec<String>,
    /// Organisations' parts in the new initiatives.
    pub participations: usize,
    /// Elements and connections not imported, each with the reason.
    pub unmapped: Vec<Unmapped>,
}

/// Which part of a project an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Element,
    Connection,
}

/// An element or connection left out of the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub item: Item,
    /// Its Kumu id.
    pub id: String,
    /// Its label, or for a connection the labels it joins.
    pub label: String,
    pub reason: String,
}

/// A fault that stops the import: the item, the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KumuProblem {
    pub item: String,
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KumuError {
    #[error("the file has {} problems", .0.len())]
    Problems(Vec<KumuProblem>),
    #[error(transparent)]
    App(#[from] AppError),
}

#[derive(Deserialize)]
struct Project {
    name: Option<String>,
    elements: Vec<Element>,
    #[serde(default)]
    connections: Vec<Connection>,
}

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "_id")]
    id: Option<String>,
    #[serde(default)]
    attributes: Map<String, Value>,
}

#[derive(Deserialize)]
struct Connection {
    #[serde(rename = "_id")]
    id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    attributes: Map<String, Value>,
}

/// An attribute's value as text: Kumu keeps names lower-case, but a
/// hand-made file may not; tags and other lists are joined.
fn text(attributes: &Map<String, Value>, name: &str) -> Option<String> {
    let value = attributes
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)?;
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    Some(text).filter(|t| !t.is_empty())
}

/// The first of several attributes that has a value.
fn first(attributes: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| text(attributes, n))
}

/// What an element is read as.
#[derive(Clone)]
enum Read {
    /// A new organisation (its slug), or one the place already has.
    New(String),
    Existing(String),
    Initiative(usize),
    Left,
}

impl Read {
    fn organisation(&self) -> Option<&str> {
        match self {
            Read::New(slug) | Read::Existing(slug) => Some(slug),
            _ => None,
        }
    }
}

fn problems(item: &str, error: DomainError) -> Vec<KumuProblem> {
    let DomainError::Invalid(fields) = error;
    fields
        .into_iter()
        .map(|f| KumuProblem {
            item: item.to_owned(),
            field: f.field,
            message: f.message,
        })
        .collect()
}

/// An organisation's part in a new initiative: the role, and the id of
/// the connection that gave it (a repeat of it is reported by that id).
type Part = (Option<String>, String);

/// A new initiative as read: its label, its element's attributes, and the
/// part each organisation (by slug) plays in it.
type NewInitiative = (String, Map<String, Value>, BTreeMap<String, Part>);

/// What an element type is read as.
#[derive(Clone, Copy)]
enum Type {
    Organisation(OrganisationKind),
    Initiative,
    Neither,
}

/// The import's working state: the file read so far.
struct Reading<'a> {
    mapping: &'a KumuMapping,
    scope: &'a Scope,
    report: KumuReport,
    problems: Vec<KumuProblem>,
    /// Existing organisations by lower-case name and by slug.
    known: HashMap<String, String>,
    known_initiatives: BTreeSet<String>,
    elements: HashMap<String, (String, Read)>,
    /// Each element type as read, looked up once.
    types: HashMap<String, Type>,
    organisations: Vec<Organisation>,
    /// The new organisations' slugs, to find two elements that are one.
    new_organisations: HashSet<String>,
    initiatives: Vec<NewInitiative>,
}

impl Reading<'_> {
    fn problem(&mut self, item: &str, field: &str, message: impl Into<String>) {
        self.problems.push(KumuProblem {
            item: item.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn leave(&mut self, item: Item, id: &str, label: &str, reason: impl Into<String>) {
        self.report.unmapped.push(Unmapped {
            item,
            id: id.to_owned(),
            label: label.to_owned(),
            reason: reason.into(),
        });
    }

    fn kind_of(&self, element_type: &str) -> Option<OrganisationKind> {
        let wanted = element_type.to_lowercase();
        let named = OrganisationKind::ALL
            .iter()
            .find(|k| k.slug() == slugify(&wanted) || k.label().to_lowercase() == wanted);
        if let Some(kind) = named {
            return Some(*kind);
        }
        let listed = ORGANISATION_TYPES.contains(&wanted.as_str())
            || self
                .mapping
                .organisation_types
                .iter()
                .any(|t| t.trim().to_lowercase() == wanted);
        listed.then_some(self.mapping.kind)
    }

    fn is_initiative(&self, element_type: &str) -> bool {
        let wanted = element_type.to_lowercase();
        INITIATIVE_TYPES.contains(&wanted.as_str())
            || self
                .mapping
                .initiative_types
                .iter()
                .any(|t| t.trim().to_lowercase() == wanted)
    }

    fn type_of(&mut self, element_type: &str) -> Type {
        if let Some(found) = self.types.get(element_type) {
            return *found;
        }
        let read = match self.kind_of(element_type) {
            Some(kind) => Type::Organisation(kind),
            None if self.is_initiative(element_type) => Type::Initiative,
            None => Type::Neither,
        };
        self.types.insert(element_type.to_owned(), read);
        read
    }

    fn element(&mut self, n: usize, element: Element) {
        let Some(id) = element.id.filter(|i| !i.trim().is_empty()) else {
            self.problem(
                &format!("element {}", n + 1),
                "_id",
                "Every element needs an _id",
            );
            return;
        };
        if self.elements.contains_key(&id) {
            self.problem(&id, "_id", "Two elements have this _id");
            return;
        }
        let attributes = element.attributes;
        let label = text(&attributes, "label").unwrap_or_default();
        let element_type = text(&attributes, "element type");
        let read_as = element_type
            .as_deref()
            .map_or(Type::Neither, |t| self.type_of(t));
        let kind = match read_as {
            Type::Organisation(kind) => Some(kind),
            _ => None,
        };
        let initiative = matches!(read_as, Type::Initiative);
        let read = if kind.is_none() && !initiative {
            let reason = match &element_type {
                None => "It has no element type".to_owned(),
                Some(t) => {
                    format!("Its element type \"{t}\" is neither an organisation nor an initiative")
                }
            };
            self.leave(Item::Element, &id, &label, reason);
            Read::Left
        } else if label.is_empty() {
            self.problem(
                &id,
                "label",
                "An organisation or initiative needs a label (its name)",
            );
            Read::Left
        } else if let Some(kind) = kind {
            self.organisation(&id, &label, kind, &attributes)
        } else if self.known_initiatives.contains(&slugify(&label)) {
            self.leave(
                Item::Element,
                &id,
                &label,
                "The place already has an initiative of this name: it is left as it is",
            );
            Read::Left
        } else {
            self.initiatives
                .push((label.clone(), attributes, BTreeMap::new()));
            Read::Initiative(self.initiatives.len() - 1)
        };
        self.elements.insert(id, (label, read));
    }

    fn organisation(
        &mut self,
        id: &str,
        label: &str,
        kind: OrganisationKind,
        attributes: &Map<String, Value>,
    ) -> Read {
        let known = self
            .known
            .get(&label.to_lowercase())
            .or_else(|| self.known.get(&slugify(label)));
        if let Some(slug) = known {
            let slug = slug.clone();
            self.report.existing.push(label.to_owned());
            return Read::Existing(slug);
        }
        let mut pairs = vec![
            ("version".to_owned(), "0".to_owned()),
            ("name".to_owned(), label.to_owned()),
            ("kind".to_owned(), kind.slug().to_owned()),
            (
                "audience".to_owned(),
                self.mapping.audience.as_str().to_owned(),
            ),
        ];
        for (field, names) in [
            ("description", &["description"][..]),
            ("website", &["website", "url"][..]),
        ] {
            if let Some(value) = first(attributes, names) {
                pairs.push((field.to_owned(), value));
            }
        }
        let made = Organisation::blank(None)
            .apply(
                &Submitted::new(&pairs),
                self.scope.settable(Organisation::RESOURCE),
                Absent::MeansEmpty,
            )
            .map_err(|e| problems(id, e))
            .and_then(|mut o| {
                o.assign_key().map_err(|e| {
                    vec![KumuProblem {
                        item: id.to_owned(),
                        field: "label".into(),
                        message: e.to_string(),
                    }]
                })?;
                o.version = 1;
                Ok(o)
            });
        match made {
            Ok(o) if self.new_organisations.contains(&o.id) => {
                self.problem(
                    id,
                    "label",
                    format!("Another element is also the organisation \"{}\"", o.name),
                );
                Read::Left
            }
            Ok(o) => {
                if let Err(e) = self.scope.require(Action::Create, &o.target()) {
                    self.problem(id, "audience", e.to_string());
                }
                let slug = o.id.clone();
                self.new_organisations.insert(slug.clone());
                self.report.organisations.push(o.name.clone());
                self.organisations.push(o);
                Read::New(slug)
            }
            Err(found) => {
                self.problems.extend(found);
                Read::Left
            }
        }
    }

    fn connection(&mut self, n: usize, connection: Connection) {
        let id = connection
            .id
            .filter(|i| !i.trim().is_empty())
            .unwrap_or_else(|| format!("connection {}", n + 1));
        let mut ends = Vec::new();
        for (field, end) in [("from", &connection.from), ("to", &connection.to)] {
            match end.as_ref().and_then(|e| self.elements.get(e)) {
                Some(found) => ends.push(found.clone()),
                None => {
                    let message = match end {
                        None => format!("The connection has no \"{field}\" element"),
                        Some(e) => format!("There is no element \"{e}\""),
                    };
                    self.problems.push(KumuProblem {
                        item: id.clone(),
                        field: field.to_owned(),
                        message,
                    });
                }
            }
        }
        let [(from_label, from), (to_label, to)] = ends.as_slice() else {
            return;
        };
        let label = format!("{from_label} → {to_label}");
        let part = first(&connection.attributes, &["role", "label"]);
        let reason = match (from, to) {
            (Read::Initiative(i), other) | (other, Read::Initiative(i))
                if other.organisation().is_some() =>
            {
                let slug = other.organisation().unwrap_or_default().to_owned();
                match self.initiatives[*i].2.entry(slug) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert((part, id));
                        return;
                    }
                    std::collections::btree_map::Entry::Occupied(o) => format!(
                        "It repeats connection {}: the organisation takes part in the \
                         initiative once",
                        o.get().1
                    ),
                }
            }
            (Read::Left, _) | (_, Read::Left) => {
                let left = if matches!(from, Read::Left) {
                    from_label
                } else {
                    to_label
                };
                format!("It joins \"{left}\", which is not imported")
            }
            (Read::Initiative(_), Read::Initiative(_)) => "It links two initiatives: Placeweave \
                 links initiatives through the organisations taking part"
                .to_owned(),
            _ => "It links two organisations directly: Placeweave links organisations \
                  through initiatives, commitments and relationships"
                .to_owned(),
        };
        self.leave(Item::Connection, &id, &label, reason);
    }

    /// The new initiatives, with the organisations taking part.
    fn initiatives(&mut self) -> Vec<Initiative> {
        let mut made = Vec::new();
        let mut made_ids = HashSet::new();
        for (label, attributes, parts) in std::mem::take(&mut self.initiatives) {
            let mut pairs = vec![
                ("version".to_owned(), "0".to_owned()),
                ("name".to_owned(), label.clone()),
                (
                    "audience".to_owned(),
                    self.mapping.audience.as_str().to_owned(),
                ),
            ];
            if let Some(d) = text(&attributes, "description") {
                pairs.push(("description".into(), d));
            }
            if let Some(w) = first(&attributes, &["website", "url"]) {
                pairs.push(("website".into(), w));
            }
            pairs.extend(parts.iter().map(|(slug, (part, _))| {
                let line = match part {
                    Some(part) => format!("{slug}:{part}"),
                    None => slug.clone(),
                };
                ("participants".to_owned(), line)
            }));
            let item = format!("initiative \"{label}\"");
            let result = Initiative::blank(None).apply(
                &Submitted::new(&pairs),
                self.scope.settable(Initiative::RESOURCE),
                Absent::MeansEmpty,
            );
            match result {
                Ok(mut initiative) => match initiative.assign_key() {
                    Ok(()) if made_ids.contains(&initiative.id) => {
                        self.problem(&item, "label", "Another element is also this initiative")
                    }
                    Ok(()) => {
                        made_ids.insert(initiative.id.clone());
                        initiative.version = 1;
                        self.report.participations += parts.len();
                        self.report.initiatives.push(initiative.name.clone());
                        made.push(initiative);
                    }
                    Err(e) => self.problem(&item, "label", e.to_string()),
                },
                Err(e) => self.problems.extend(problems(&item, e)),
            }
        }
        made
    }
}

impl App {
    /// Reads a Kumu project export into the place as `scope` may write:
    /// every problem is reported and nothing is written unless there are
    /// none.
    pub async fn import_kumu(
        &self,
        scope: &Scope,
        file: &[u8],
        mapping: &KumuMapping,
    ) -> std::result::Result<KumuReport, KumuError> {
        let limits = Limits::KUMU;
        let refused = |message: String| {
            KumuError::Problems(vec![KumuProblem {
                item: "file".into(),
                field: "file".into(),
                message,
            }])
        };
        crate::upload::within_bytes(file, &limits).map_err(|e| refused(e.to_string()))?;
        let clock = Clock::start(&limits);
        let project: Project = serde_json::from_slice(file)
            .map_err(|e| refused(format!("This is not a Kumu project export (its JSON): {e}")))?;
        if project.elements.len() + project.connections.len() > limits.rows {
            return Err(refused(format!(
                "The project has more than {} elements and connections",
                crate::upload::number(limits.rows)
            )));
        }
        let mut known = HashMap::new();
        for (slug, name) in self.organisation_choices(scope).await? {
            known.insert(name.to_lowercase(), slug.clone());
            known.insert(slug.clone(), slug);
        }
        let known_initiatives = self
            .store
            .initiatives(scope.key(), scope.viewer(), None, None)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .flat_map(|i| [i.id, slugify(&i.name)])
            .collect();
        let mut reading = Reading {
            mapping,
            scope,
            report: KumuReport {
                project: project.name.filter(|n| !n.trim().is_empty()),
                elements: project.elements.len(),
                connections: project.connections.len(),
                ..KumuReport::default()
            },
            problems: Vec::new(),
            known,
            known_initiatives,
            elements: HashMap::new(),
            types: HashMap::new(),
            organisations: Vec::new(),
            new_organisations: HashSet::new(),
            initiatives: Vec::new(),
        };
        let late = |n: usize| {
            if n.is_multiple_of(1024) {
                clock.check().map_err(|e: Refused| refused(e.to_string()))
            } else {
                Ok(())
            }
        };
        for (n, element) in project.elements.into_iter().enumerate() {
            late(n)?;
            reading.element(n, element);
        }
        for (n, connection) in project.connections.into_iter().enumerate() {
            late(n)?;
            reading.connection(n, connection);
        }
        let initiatives = reading.initiatives();
        clock.check().map_err(|e| refused(e.to_string()))?;
        if !reading.problems.is_empty() {
            return Err(KumuError::Problems(reading.problems));
        }
        if !mapping.dry_run {
            self.store
                .import_organisations_and_initiatives(
                    &scope.write(Initiative::RESOURCE),
                    &reading.organisations,
                    &initiatives,
                )
                .await
                .map_err(|e| AppError::from(e).naming("label"))?;
        }
        Ok(reading.report)
    }

    /// The same, from the command line, in the place with id `place`.
    pub async fn import_kumu_as(
        &self,
        place: &str,
        file: &[u8],
        mapping: &KumuMapping,
    ) -> std::result::Result<KumuReport, KumuError> {
        let scope = self.command_line_scope(place).await?;
        self.import_kumu(&scope, file, mapping).await
    }
}
