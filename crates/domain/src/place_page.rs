//! A place's required pages: the accessibility statement, the privacy
//! notice, the cookies page and the contact page. Each has a default text
//! written from the place's own names, which an administrator may replace.
//!
//! Their text is a tiny, safe format: `## ` starts a heading, `- ` a list
//! item, and a blank line ends a paragraph. It is parsed here into blocks
//! of plain text that templates escape, so nothing stored can become HTML.

use crate::error::FieldError;
use crate::place::Place;

crate::vocabulary::vocabulary!(
    /// Which required page.
    PageKind {
        Accessibility => ("accessibility", "Accessibility statement"),
        Privacy => ("privacy", "Privacy notice"),
        Cookies => ("cookies", "Cookies"),
        Contact => ("contact", "Contact"),
    }
);

/// The longest text a page may have (characters).
pub const MAX_BODY: usize = 30_000;

/// A required page as shown: its stored text, or the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacePage {
    pub kind: PageKind,
    pub body: String,
    /// 0 while the page shows its default text (nothing stored yet).
    pub version: i64,
    /// Unix time of the last edit; none for the default text.
    pub updated_at: Option<i64>,
}

impl PlacePage {
    /// The page with its default text for `place`.
    pub fn default_for(kind: PageKind, place: &Place) -> Self {
        PlacePage {
            kind,
            body: default_body(kind, place),
            version: 0,
            updated_at: None,
        }
    }

    pub fn blocks(&self) -> Vec<Block> {
        blocks(&self.body)
    }

    /// The first paragraph, shortened, for the page's meta description.
    pub fn summary(&self) -> String {
        self.blocks()
            .into_iter()
            .find_map(|b| match b {
                Block::Paragraph(text) => Some(text),
                _ => None,
            })
            .map(|text| shorten(&text, 160))
            .unwrap_or_default()
    }
}

/// `text` cut at a word boundary to at most `max` characters, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// A piece of a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 2 (`## `) or 3 (`### `); the page's title is its only level 1.
    Heading(u8, String),
    Paragraph(String),
    List(Vec<String>),
}

/// Parses the page format: `## heading` (`### ` for a level below), `- item`, paragraphs split by a
/// blank line (lines within a paragraph are joined by a space).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut out, &mut paragraph, &mut list);
        } else if line.starts_with('#') {
            flush(&mut out, &mut paragraph, &mut list);
            let level = if line.starts_with("###") { 3 } else { 2 };
            let heading = line.trim_start_matches('#').trim();
            if !heading.is_empty() {
                out.push(Block::Heading(level, heading.to_owned()));
            }
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                out.push(Block::Paragraph(paragraph.join(" ")));
                paragraph.clear();
            }
            list.push(item.trim().to_owned());
        } else if !list.is_empty() && paragraph.is_empty() {
            // A continuation line of the last list item.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(line);
            }
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut out, &mut paragraph, &mut list);
    out
}

/// Checks a page's new text: not empty, not too long, no control characters.
pub fn check_body(body: &str) -> Result<String, FieldError> {
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(FieldError::new("body", "Enter the page's text"));
    }
    if body.chars().count() > MAX_BODY {
        return Err(FieldError::new(
            "body",
            format!("The page's text must be {MAX_BODY} characters or fewer"),
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(
            "body",
            "The page's text must not contain control characters",
        ));
    }
    Ok(body.to_owned())
}

/// The default text of a page for `place`.
pub fn default_body(kind: PageKind, place: &Place) -> String {
    let template = match kind {
        PageKind::Accessibility => ACCESSIBILITY,
        PageKind::Privacy => PRIVACY,
        PageKind::Cookies => COOKIES,
        PageKind::Contact => CONTACT,
    };
    template
        .replace("{service}", &format!("{} partnerships", place.name))
        .replace("{place}", &place.name)
        .replace("{council}", &place.convening_organisation)
}

const ACCESSIBILITY: &str = "\
This accessibility statement applies to {service}, the website where {council} and its partners share who is working with whom on {place}'s missions.

This website is run by {council}. We want as many people as possible to be able to use it. For example, that means you should be able to:

- change colours, contrast levels and fonts using browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate most of the website using just a keyboard or speech recognition software
- listen to most of the website using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)
- use the website without JavaScript

We have also made the website text as simple as possible to understand. AbilityNet has advice on making your device easier to use if you have a disability.

## How accessible this website is

We know some parts of this website are not fully accessible:

- on narrow screens (320 to 375 pixels wide) some pages, such as the longer tables of organisations and the administration pages, scroll sideways
- some forms ask you to type an organisation's identifier and dates as plain text instead of choosing from a list or using separate day, month and year fields
- after you save a change, some forms do not show a message confirming that it was saved

## Feedback and contact information

If you need information on this website in a different format, such as accessible PDF, large print, easy read, audio recording or braille, use the contact page of this website. We will consider your request and get back to you in 10 working days.

## Reporting accessibility problems with this website

We are always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we are not meeting accessibility requirements, tell us through the contact page of this website.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).

If you are in Northern Ireland and are not happy with how we respond to your complaint, you can contact the Equality Commission for Northern Ireland (ECNI).

## Technical information about this website's accessibility

{council} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.

## Compliance status

This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.

## Non-accessible content

The content listed below is non-accessible for the following reasons.

### Non-compliance with the accessibility regulations

- Some pages scroll in two directions on screens 320 pixels wide. This fails WCAG 2.2 success criterion 1.4.10 (reflow). We plan to fix this by replacing wide tables with lists that stack on narrow screens.
- Some forms ask for dates and organisation identifiers as free text, which makes them harder to complete. This may fail WCAG 2.2 success criterion 3.3.2 (labels or instructions). We plan to use the GOV.UK date input and a list of organisations to choose from.
- Some forms do not confirm that a change was saved. This may fail WCAG 2.2 success criterion 4.1.3 (status messages). We plan to show a success message after every save.

## What we're doing to improve accessibility

Every page is checked automatically with axe-core and Lighthouse each time the service changes, and the issues listed above are being fixed.

## Preparation of this accessibility statement

This statement was prepared on 30 November 2026. It was last reviewed on 30 November 2026.

This website was last tested on 30 November 2026 against the WCAG 2.2 AA standard. The test was carried out by the Placeweave project, using automated tests (axe-core and Lighthouse on every public page) and manual checks of the pages with a keyboard and at narrow screen widths.
";

const PRIVACY: &str = "\
This privacy notice explains how {council} uses personal data in {service}. {council} is the data controller for the personal data held in this service.

## What personal data we hold

- Accounts of council staff and partners: name, email address, role, the organisation a partner works for, and a scrambled (hashed) form of the password. We never store passwords themselves.
- Sessions: while you are signed in, a random session identifier (only a scrambled form of it is stored) and when it started and was last used.
- Sign-in attempts: the email address and network address of failed attempts to sign in and of every request for a new password, to stop people guessing passwords or probing for accounts.
- Requests for a new password: which account asked, and when, so that an administrator can send its holder a link. For an email address that has no account, only the attempt above is kept.
- Contacts at partner organisations: name, job title, email address and phone number. Each contact has a recorded lawful basis and a retention category. Only council staff can see contacts.
- An audit log of changes: what was changed, when, and by which account. Contact details are masked in it.

Public pages show information about organisations, missions, roles and initiatives. They do not show personal data about contacts.

## Our lawful basis for using your data

For accounts, sessions, sign-in attempts and the audit log, our lawful basis is public task: we need them to run the partnership service securely. For contacts, the lawful basis is recorded with each contact. It is usually public task or legitimate interests, and sometimes consent or contract.

## How long we keep your data

- Sessions end after 30 minutes without use, or 12 hours after signing in.
- Failed sign-in attempts and requests for a new password count against the limit on attempts; their records (email address and network address) are deleted after a day.
- A request for a new password is removed when an administrator makes the link, and with the account.
- Contacts are kept for their retention category: active partnership 3 years, event attendee 1 year, one-off enquiry 6 months. They are deleted automatically after that.
- Accounts are kept while the person works with the partnership, and are deleted when they ask us to or no longer need access.
- The audit log is kept for as long as the records it describes. When a person is erased, only a line saying that an erasure happened is kept.

## Your rights

You have the right to:

- ask for a copy of the personal data we hold about you (a subject access request)
- ask us to correct data that is wrong
- ask us to delete your data (erasure)
- ask us to limit how we use your data, or object to our using it
- withdraw your consent, where we rely on it

Administrators of this service can find everything held about an email address, export it and erase it completely.

## How to ask

To use any of these rights, or if you have a question about this notice, use the contact page of this website. We will reply within one month.

## How to complain

If you are not happy with how we use your data, tell us first. You can also complain to the Information Commissioner's Office (ICO): ico.org.uk, telephone 0303 123 1113.
";

const COOKIES: &str = "\
Cookies are small files saved on your phone, tablet or computer when you visit a website.

{service}, run by {council}, uses one cookie, and only when you sign in. It is essential: it keeps you signed in as you move between pages. We do not use any cookies to measure or track your visits, and no other website can set cookies through this one.

## Essential cookies

- Name: placeweave-session (called __Host-placeweave-session when the website is served over HTTPS)
- Purpose: keeps you signed in. It holds a random identifier, not your name or email address.
- Expires: when you sign out, after 30 minutes without using the website, and at the latest 12 hours after you signed in.

Because this cookie is strictly necessary for the service to work, we do not ask for your consent to set it. If you do not sign in, no cookie is set.
";

const CONTACT: &str = "\
{service} is run by {council}'s partnership team.

## Questions about partnerships in {place}

If you would like your organisation to take part in {place}'s missions, or have a question about the information on this website, contact {council}'s partnership team.

## Accessibility, privacy and data protection

To report an accessibility problem, ask for information in a different format, ask for a copy of your personal data or ask us to delete it, contact {council}'s partnership team and say what you need.

## Reporting a security problem

If you have found a security problem in this website, follow the instructions in its security.txt file, at /.well-known/security.txt.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visibility::Audience;

    fn camden() -> Place {
        Place {
            id: "camden".into(),
            name: "Camden".into(),
            convening_organisation: "Camden Council".into(),
            description: None,
            synthetic: false,
            audience: Audience::Public,
        }
    }

    #[test]
    fn the_format_makes_headings_lists_and_paragraphs() {
        let text = "First line\nsame paragraph\n\n## A heading\n- one\n- two\n  continued\n\n### Lower\nLast <b>bold</b>";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("First line same paragraph".into()),
                Block::Heading(2, "A heading".into()),
                Block::List(vec!["one".into(), "two continued".into()]),
                Block::Heading(3, "Lower".into()),
                Block::Paragraph("Last <b>bold</b>".into()),
            ]
        );
    }

    #[test]
    fn defaults_use_the_place_names() {
        for &kind in PageKind::ALL {
            let page = PlacePage::default_for(kind, &camden());
            assert!(page.body.contains("Camden"), "{kind:?}");
            assert!(!page.body.contains('{'), "{kind:?} has an unfilled name");
            assert!(!page.summary().is_empty());
            assert!(check_body(&page.body).is_ok());
        }
        let cookies = default_body(PageKind::Cookies, &camden());
        assert!(cookies.contains("placeweave-session"));
        assert!(cookies.contains("__Host-placeweave-session"));
    }

    #[test]
    fn bodies_are_checked() {
        assert!(check_body("  \n ").is_err());
        assert!(check_body("a\u{0}b").is_err());
        assert!(check_body(&"x".repeat(MAX_BODY + 1)).is_err());
        assert_eq!(check_body(" ok\r\nthen ").ok().as_deref(), Some("ok\nthen"));
    }

    #[test]
    fn summaries_are_short() {
        let long = "word ".repeat(100);
        let short = shorten(&long, 160);
        assert!(short.chars().count() <= 160);
        assert!(short.ends_with('…'));
    }
}
