//! The licence a place publishes its open data under. Every download and
//! the open-data page state it; an administrator chooses it per place.

crate::vocabulary::vocabulary!(
    /// An open licence a place may publish its data under.
    DataLicence {
        OpenGovernment => ("ogl-3", "Open Government Licence v3.0"),
        CreativeCommonsBy => ("cc-by-4", "Creative Commons Attribution 4.0"),
        CreativeCommonsZero => ("cc0-1", "Creative Commons Zero 1.0 (public domain)"),
        OpenDataCommonsBy => ("odc-by-1", "Open Data Commons Attribution 1.0"),
    }
);

impl Default for DataLicence {
    /// UK public bodies publish under the OGL unless they choose otherwise.
    fn default() -> Self {
        DataLicence::OpenGovernment
    }
}

impl DataLicence {
    /// Where the licence's text is published.
    pub fn url(self) -> &'static str {
        match self {
            DataLicence::OpenGovernment => {
                "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
            }
            DataLicence::CreativeCommonsBy => "https://creativecommons.org/licenses/by/4.0/",
            DataLicence::CreativeCommonsZero => {
                "https://creativecommons.org/publicdomain/zero/1.0/"
            }
            DataLicence::OpenDataCommonsBy => "https://opendatacommons.org/licenses/by/1-0/",
        }
    }

    /// The licence stored for a place: none stored means the default.
    pub fn stored(value: Option<&str>) -> Option<Self> {
        match value {
            None => Some(Self::default()),
            Some(slug) => Self::parse(slug),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_stored_is_the_open_government_licence() {
        assert_eq!(DataLicence::stored(None), Some(DataLicence::OpenGovernment));
        assert_eq!(
            DataLicence::stored(Some("cc-by-4")),
            Some(DataLicence::CreativeCommonsBy)
        );
        assert_eq!(DataLicence::stored(Some("mit")), None);
    }

    #[test]
    fn every_licence_links_to_its_text() {
        for licence in DataLicence::ALL {
            assert!(licence.url().starts_with("https://"), "{licence}");
        }
    }
}
