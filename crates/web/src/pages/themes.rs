//! The outcomes framework's themes: their add and edit forms (they are
//! listed on the missions page).

use placeweave_domain::OutcomeTheme;

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::{Chrome, PageResult, Section};
use crate::AppState;

impl FormPage for OutcomeTheme {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add an outcome theme";
    fn new_href(_owner: Option<&str>) -> String {
        "/themes/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/themes/{key}/edit")
    }
    const SAVED: &'static str = "theme";
    fn saved_href(&self) -> String {
        "/missions#themes".to_owned()
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(_state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let record = view.record;
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Outcomes framework",
            heading: heading(&view),
            back: ("/missions#themes".into(), "Back to missions and themes".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save theme",
            fields: vec![
                FormField::new("name", "Name of the theme", Control::Input("text"), record.name.clone()),
                FormField::new("description", "What it means", Control::TextArea, record.description.clone().unwrap_or_default())
                    .hint("For example: people live long and healthy lives, measured by healthy life expectancy"),
                FormField::new(
                    "is_core",
                    "Is it a core theme?",
                    Control::Select(vec![("yes".into(), "Core theme".into())], "Not a core theme"),
                    if record.is_core { "yes" } else { "" },
                ),
                FormField::new("audience", "Who can see this theme", audiences(), record.audience.as_str()),
            ],
        };
        finish(view, form)
    }
}
