//! Links between the site's pages written in Markdown: the checked `@/…` syntax
//! (`[Staff](@/levels/staff-engineer#scope)`), like Zola's, and plain relative links
//! that look internal (`../levels/staff-engineer/`).
//!
//! The life of an `@/` link: parsing a Markdown text ([`crate::markdown`]) reads it with
//! [`parse`] and writes it into the HTML as the page's URL from the site's root behind
//! the marker (`href="@/levels/staff-engineer/#scope"`), and reports where it was
//! written; assembly checks that its page exists (`crate::assemble`); rendering
//! replaces the marker with the prefix from the page it is shown on back to the root
//! ([`resolve`]), so one text links right from a page at any depth.
//!
//! Safety: an `@/` link that does not parse becomes `#`; one that does holds only a
//! section name, an id (`[a-z0-9-]`) and an anchor of letters, digits, `-`, `_` and
//! `.`, so what [`resolve`] writes is always a relative URL into the site.

use std::borrow::Cow;

/// How an internal link starts in Markdown, and the marker its URL carries in HTML
/// until the page it is shown on is known.
pub(crate) const PREFIX: &str = "@/";

/// The marker as it appears in rendered HTML.
const MARKED_HREF: &str = "href=\"@/";

/// What an internal link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Section {
    /// `@/`: the home page.
    Home,
    /// `@/levels/<id>`.
    Level,
    /// `@/competencies/<id>`.
    Competency,
    /// `@/areas/<id>`.
    Area,
    /// `@/tracks/<id>`.
    Track,
    /// `@/families/<id>`.
    Family,
    /// `@/matrix/<track id>`.
    Matrix,
    /// `@/competencies`: every competency by area.
    CompetencyIndex,
    /// `@/compare`: the comparison picker.
    CompareIndex,
    /// `@/search`.
    Search,
    /// `@/<slug>`: a free page.
    Page,
}

/// The sections whose pages are `<section>/<id>/`, by their folder name.
const SECTIONS: &[(&str, Section)] = &[
    ("levels", Section::Level),
    ("competencies", Section::Competency),
    ("areas", Section::Area),
    ("tracks", Section::Track),
    ("families", Section::Family),
    ("matrix", Section::Matrix),
];

impl Section {
    /// What its pages are called in messages: "level", "competency", …
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Section::Home => "home page",
            Section::Level => "level",
            Section::Competency => "competency",
            Section::Area => "area",
            Section::Track => "track",
            Section::Family => "job family",
            Section::Matrix => "track",
            Section::CompetencyIndex => "competency index",
            Section::CompareIndex => "comparison picker",
            Section::Search => "search page",
            Section::Page => "page",
        }
    }

    /// The folder its pages are in (`levels`), for those that have one.
    fn folder(self) -> Option<&'static str> {
        SECTIONS.iter().find(|(_, s)| *s == self).map(|(f, _)| *f)
    }
}

/// A page of the site (and a place on it), as an `@/` link names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub section: Section,
    /// The level, competency, area, track, family or page id; empty for the home page
    /// and the indexes.
    pub id: String,
    /// The fragment after `#`, if any.
    pub anchor: Option<String>,
}

impl Target {
    /// Its URL from the site's root: `levels/staff-engineer/#scope`.
    pub(crate) fn url(&self) -> String {
        let page = match self.section {
            Section::Home => String::new(),
            Section::CompetencyIndex => "competencies/".into(),
            Section::CompareIndex => "compare/".into(),
            Section::Search => "search/".into(),
            Section::Page => format!("{}/", self.id),
            s => format!("{}/{}/", s.folder().unwrap_or_default(), self.id),
        };
        match &self.anchor {
            Some(a) => format!("{page}#{a}"),
            None => page,
        }
    }

    /// How it reads in messages: `@/levels/staff-engineer`.
    pub(crate) fn written(&self) -> String {
        format!(
            "{PREFIX}{}",
            self.url().split('#').next().unwrap_or_default()
        )
        .trim_end_matches('/')
        .to_string()
    }
}

/// The help that lists the syntax.
pub(crate) const SYNTAX_HELP: &str = "internal links are `@/levels/<level>`, `@/competencies/<competency>`, `@/areas/<area>`, `@/tracks/<track>`, `@/families/<family>`, `@/matrix/<track>`, `@/<page>`, `@/competencies`, `@/compare`, `@/search` or `@/` (the home page), each optionally followed by `#anchor`";

/// Whether `s` is an id as files name them: `[a-z0-9][a-z0-9-]*`.
fn is_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads an `@/` link (`dest` as written, `@/` included): the page it names, or why it
/// names none.
pub(crate) fn parse(dest: &str) -> Result<Target, String> {
    let rest = dest.strip_prefix(PREFIX).unwrap_or(dest);
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (rest, None),
    };
    if let Some(a) = anchor
        && (a.is_empty()
            || !a
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`#{a}` is not an anchor rungs makes (letters, digits, `-`, `_` and `.`)"
        ));
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').collect()
    };
    if let Some(last) = segments.last()
        && last.ends_with(".md")
    {
        return Err(
            "it names a file; an internal link names a page by its id, without `.md` (`@/levels/staff-engineer`)"
                .into(),
        );
    }
    let target = |section, id: &str| -> Result<Target, String> {
        if !is_id(id) {
            return Err(format!(
                "`{id}` is not an id (lowercase letters, digits and hyphens, as in the file's name)"
            ));
        }
        Ok(Target {
            section,
            id: id.to_string(),
            anchor: anchor.map(str::to_string),
        })
    };
    match segments.as_slice() {
        [] => Ok(Target {
            section: Section::Home,
            id: String::new(),
            anchor: anchor.map(str::to_string),
        }),
        [one] => {
            let index = match *one {
                "competencies" => Some(Section::CompetencyIndex),
                "compare" => Some(Section::CompareIndex),
                "search" => Some(Section::Search),
                _ => None,
            };
            if let Some(section) = index {
                return Ok(Target {
                    section,
                    id: String::new(),
                    anchor: anchor.map(str::to_string),
                });
            }
            if let Some((folder, s)) = SECTIONS.iter().find(|(f, _)| f == one) {
                return Err(format!(
                    "`@/{folder}` is not a page; name one {}: `@/{folder}/<id>`",
                    s.noun()
                ));
            }
            target(Section::Page, one)
        }
        [folder, id] => match SECTIONS.iter().find(|(f, _)| f == folder) {
            Some((_, section)) => target(*section, id),
            None => Err(format!("`{folder}` is not a section of the site")),
        },
        _ => Err("it has more parts than any page of the site".into()),
    }
}

/// A link found in a Markdown text that points into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// An `@/` link that names a page (whether the page exists is for assembly).
    Internal(Target),
    /// An `@/` link that does not parse: the link as written and why.
    Invalid { written: String, why: String },
    /// A relative (or root-relative) URL as written: `../levels/staff-engineer/`.
    Relative(String),
}

/// What a link destination is, when it points into the site; `None` for URLs with a
/// scheme, fragments on the same page and protocol-relative URLs.
pub(crate) fn classify(dest: &str) -> Option<Found> {
    if dest.starts_with(PREFIX) {
        return Some(match parse(dest) {
            Ok(t) => Found::Internal(t),
            Err(why) => Found::Invalid {
                written: dest.to_string(),
                why,
            },
        });
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return None;
    }
    let scheme = dest.find(':');
    let delim = dest.find(['/', '?', '#']);
    match (scheme, delim) {
        (Some(c), Some(d)) if c < d => None,
        (Some(_), None) => None,
        _ => Some(Found::Relative(dest.to_string())),
    }
}

/// The `(section, id)` a plain relative link leads to from a page at `base` (its URL
/// from the site's root, `levels/staff/`), when it leads to a level, competency, area,
/// track, family or matrix page; `base_path` is the site's path on its host (`/eng/`),
/// for links that start with `/`.
pub(crate) fn relative_target(url: &str, base: &str, base_path: &str) -> Option<(Section, String)> {
    let url = url.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let (start, rest): (Vec<&str>, &str) = match decoded.strip_prefix('/') {
        Some(_) => (Vec::new(), decoded.strip_prefix(base_path)?),
        None => (
            base.split('/').filter(|s| !s.is_empty()).collect(),
            &decoded,
        ),
    };
    let mut path = start;
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                path.pop()?;
            }
            s => path.push(s),
        }
    }
    match path.as_slice() {
        [folder, id, ..] => {
            let (_, section) = SECTIONS.iter().find(|(f, _)| f == folder)?;
            let id = id.strip_suffix(".html").unwrap_or(id);
            Some((*section, id.to_string()))
        }
        _ => None,
    }
}

/// The HTML of a page with every `@/` link made relative to it: `root` is the prefix
/// from the page back to the site's root (`../../`).
pub(crate) fn resolve<'h>(html: &'h str, root: &str) -> Cow<'h, str> {
    if !html.contains(MARKED_HREF) {
        return Cow::Borrowed(html);
    }
    Cow::Owned(html.replace(MARKED_HREF, &format!("href=\"{root}")))
}

/// The URL an `@/` link is written with in HTML until [`resolve`] places it.
pub(crate) fn marked(target: &Target) -> String {
    format!("{PREFIX}{}", target.url())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(dest: &str) -> String {
        parse(dest)
            .map(|t| t.url())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn parses_every_kind_of_page() {
        for (dest, expected) in [
            ("@/levels/staff-engineer", "levels/staff-engineer/"),
            ("@/levels/staff-engineer/", "levels/staff-engineer/"),
            (
                "@/levels/staff-engineer#scope",
                "levels/staff-engineer/#scope",
            ),
            ("@/competencies/design", "competencies/design/"),
            ("@/areas/craft", "areas/craft/"),
            ("@/tracks/expert", "tracks/expert/"),
            ("@/families/engineering", "families/engineering/"),
            ("@/matrix/expert", "matrix/expert/"),
            ("@/faq", "faq/"),
            ("@/faq#how-to-apply", "faq/#how-to-apply"),
            ("@/", ""),
            ("@/#band-b2", "#band-b2"),
            ("@/competencies", "competencies/"),
            ("@/compare/", "compare/"),
            ("@/search", "search/"),
        ] {
            assert_eq!(url(dest), expected, "{dest}");
        }
        assert_eq!(
            parse("@/levels/staff/").unwrap().written(),
            "@/levels/staff"
        );
    }

    #[test]
    fn refuses_what_names_no_page() {
        for (dest, why) in [
            ("@/levels", "not a page"),
            ("@/levels/a/b", "more parts"),
            ("@/levls/staff", "not a section"),
            ("@/levels/Staff", "not an id"),
            ("@/levels/staff.md", "names a file"),
            ("@/levels/expert/staff.md", "names a file"),
            ("@/levels/x?y=1", "not an id"),
            ("@/levels/x#", "not an anchor"),
            ("@/levels/x#a\"b", "not an anchor"),
            ("@/javascript:alert(1)", "not an id"),
        ] {
            let err = parse(dest).unwrap_err();
            assert!(err.contains(why), "{dest}: {err}");
        }
    }

    #[test]
    fn classifies_destinations() {
        assert!(matches!(classify("@/faq"), Some(Found::Internal(_))));
        assert!(matches!(classify("@/nope/x"), Some(Found::Invalid { .. })));
        for dest in ["../levels/x/", "/eng/levels/x/", "faq/", "./a:b"] {
            assert_eq!(classify(dest), Some(Found::Relative(dest.into())), "{dest}");
        }
        for dest in ["https://x.org", "mailto:a@b", "#top", "//x.org/a", ""] {
            assert_eq!(classify(dest), None, "{dest}");
        }
    }

    #[test]
    fn relative_links_are_followed_from_their_page() {
        let t = |url, base| relative_target(url, base, "/eng/");
        let level = |id: &str| Some((Section::Level, id.to_string()));
        assert_eq!(t("../staff/", "levels/senior/"), level("staff"));
        assert_eq!(
            t("../../levels/staff/#x", "competencies/c/"),
            level("staff")
        );
        assert_eq!(t("levels/staff/index.html", ""), level("staff"));
        assert_eq!(t("/eng/levels/staff/", "faq/"), level("staff"));
        assert_eq!(t("/other/levels/staff/", "faq/"), None);
        assert_eq!(t("../../../levels/x/", "levels/a/"), None);
        assert_eq!(t("../faq/", "levels/a/"), level("faq"));
        assert_eq!(t("../../faq/", "levels/a/"), None);
        assert_eq!(
            t("../../competencies/design/", "levels/a/"),
            Some((Section::Competency, "design".into()))
        );
    }

    #[test]
    fn resolves_from_the_page_it_is_shown_on() {
        let html = r##"<p><a href="@/levels/staff/#scope">Staff</a> and <a href="@/">home</a> and <a href="https://x.org/@/">x</a></p>"##;
        assert_eq!(
            resolve(html, "../../"),
            r##"<p><a href="../../levels/staff/#scope">Staff</a> and <a href="../../">home</a> and <a href="https://x.org/@/">x</a></p>"##
        );
        assert_eq!(
            resolve(html, "./"),
            r##"<p><a href="./levels/staff/#scope">Staff</a> and <a href="./">home</a> and <a href="https://x.org/@/">x</a></p>"##
        );
        assert!(matches!(resolve("<p>plain</p>", "../"), Cow::Borrowed(_)));
    }
}
