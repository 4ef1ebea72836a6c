//! The controlled vocabularies of DESIGN.md: organisation kinds, size bands,
//! scopes, levers and their hardness and reach. Each term has a stable slug
//! (used in URLs, the API and the database) and a label for pages.

/// Declares a vocabulary: an enum whose variants each have a slug and a label.
macro_rules! vocabulary {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => ($slug:literal, $label:literal)),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $slug)] $variant),+
        }

        // Written out rather than derived: the derive does not see the
        // serde renames through the macro and documented variant names
        // (`AnchorInstitution`) instead of the slugs served.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!($($doc, "\n",)* "").trim()))
                    .enum_values(Some([$($slug),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.slug() == value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// What sort of partner an organisation is.
    OrganisationKind {
        Council => ("council", "Council"),
        AnchorInstitution => ("anchor-institution", "Anchor institution"),
        University => ("university", "University"),
        Health => ("health", "NHS and health"),
        Employer => ("employer", "Employer or business"),
        Developer => ("developer", "Developer or landowner"),
        Cultural => ("cultural", "Cultural institution"),
        VoluntaryCommunity => ("voluntary-community", "Voluntary and community sector"),
        CommunityGroup => ("community-group", "Community group"),
        SocialEnterprise => ("social-enterprise", "Social enterprise"),
        HousingAssociation => ("housing-association", "Housing association"),
        School => ("school", "School or education partnership"),
        Funder => ("funder", "Funder"),
        FaithGroup => ("faith-group", "Faith group"),
        PublicSpace => ("public-space", "Public space"),
        TenantsGroup => ("tenants-group", "Tenants' group"),
        Network => ("network", "Network or partnership"),
        Other => ("other", "Other or not yet recorded"),
    }
);

vocabulary!(
    /// How big an organisation is, by people employed or involved.
    SizeBand {
        Micro => ("micro", "Micro (fewer than 10 people)"),
        Small => ("small", "Small (10 to 49)"),
        Medium => ("medium", "Medium (50 to 249)"),
        Large => ("large", "Large (250 or more)"),
    }
);

vocabulary!(
    /// The geography an organisation works across.
    Scope {
        Neighbourhood => ("neighbourhood", "Neighbourhood"),
        Borough => ("borough", "Borough"),
        SubRegional => ("sub-regional", "Sub-regional"),
        Regional => ("regional", "Regional"),
        National => ("national", "National"),
        International => ("international", "International"),
    }
);

vocabulary!(
    /// What an organisation can use to drive change.
    Lever {
        Procurement => ("procurement", "Procurement"),
        Employment => ("employment", "Employment (apprenticeships, placements, living wage)"),
        Estates => ("estates", "Estates and space"),
        Funding => ("funding", "Funding and sponsorship"),
        Expertise => ("expertise", "Expertise and skills"),
        Research => ("research", "Research and evaluation"),
        Platforms => ("platforms", "Platforms and communications"),
        Networks => ("networks", "Networks and convening"),
        Data => ("data", "Data and insight"),
        Volunteering => ("volunteering", "Volunteering"),
        Policy => ("policy", "Policy and influence"),
    }
);

vocabulary!(
    /// How binding a lever is: a soft lever persuades, a hard one commits resources.
    Hardness {
        Soft => ("soft", "Soft"),
        Mixed => ("mixed", "Mixed"),
        Hard => ("hard", "Hard"),
    }
);

vocabulary!(
    /// How far a lever's effect reaches.
    Reach {
        Local => ("local", "Local"),
        Borough => ("borough", "Borough"),
        Regional => ("regional", "Regional"),
        National => ("national", "National"),
        International => ("international", "International"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.slug()), Some(*kind));
            assert!(seen.insert(kind.slug()));
        }
        for lever in Lever::ALL {
            assert_eq!(Lever::parse(lever.slug()), Some(*lever));
        }
        assert_eq!(Lever::parse("bribery"), None);
    }

    #[test]
    fn serde_uses_slugs() {
        for lever in Lever::ALL {
            let json = serde_json::to_string(lever).expect("serialise");
            assert_eq!(json, format!("\"{}\"", lever.slug()));
        }
    }
}
