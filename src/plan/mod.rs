//! Every page of the site: what it shows ([`PageKind`]), its output path and template
//! ([`PagePlan`]), and the context it renders with ([`context`]).
//!
//! [`plan`] lists pages cheaply; [`context`] builds one page's context on demand, so the
//! parallel renderer never holds every context in memory at once. Each kind of page
//! builds its context in one module under [`pages`], as a typed value that borrows from
//! the framework and is serialised straight into the template's context. Every URL comes
//! from [`urls`].

pub(crate) mod affected;
pub(crate) mod charts;
pub(crate) mod pages;
pub(crate) mod pairs;
pub(crate) mod source;
pub(crate) mod urls;
pub(crate) mod views;
pub(crate) mod wording;

use serde::Serialize;

use crate::change::Changes;
use crate::model::*;
pub(crate) use pairs::PairKind;
use views::{AreaRef, Compared, PageRef, TrackRef, area_ref, page_ref, track_ref};

/// Which page, by what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PageKind {
    Home,
    /// `/families/<family>/`: a job family's tracks and ladder.
    Family(usize),
    Track(usize),
    Level(usize),
    Competency(usize),
    Area(usize),
    Matrix(usize),
    Page(usize),
    /// `/compare/<a>/<b>/`: two levels side by side.
    Compare(usize, usize, PairKind),
    /// `/compare/`: the picker.
    CompareIndex,
    /// `/competencies/`: every competency by area, and the matrices.
    CompetencyIndex,
    /// `/changes/`: what changed since each past version `[changes] since` names.
    History,
    /// `/assess/<level>/`: the self-assessment checklist.
    Assess(usize),
    /// `/search/`: the full search page.
    Search,
    NotFound,
}

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PagePlan {
    pub kind: PageKind,
    /// Output path relative to the output folder, e.g. `levels/staff/index.html`.
    pub path: String,
    pub template: &'static str,
}

impl PagePlan {
    fn at(kind: PageKind, url: &str, template: &'static str) -> PagePlan {
        PagePlan {
            kind,
            path: urls::file(url),
            template,
        }
    }

    /// The page's URL path relative to the site root (`levels/staff/`).
    pub(crate) fn url(&self) -> &str {
        self.path.strip_suffix("index.html").unwrap_or(&self.path)
    }

    /// The prefix links on this page start with to reach the site's root: [`Self::root`],
    /// except on the 404 page, which is served from any path and so links from the
    /// site's base path (`/eng/`).
    pub(crate) fn root_in(&self, config: &crate::config::SiteConfig) -> String {
        if self.kind == PageKind::NotFound {
            config.base_path()
        } else {
            self.root()
        }
    }

    /// The prefix that leads from this page back to the site root (`../../`).
    pub(crate) fn root(&self) -> String {
        let depth = self.path.matches('/').count();
        if depth == 0 {
            "./".into()
        } else {
            "../".repeat(depth)
        }
    }
}

/// Every page of the site, in a fixed order.
pub(crate) fn plan(fw: &Framework) -> Vec<PagePlan> {
    use PageKind as K;
    let mut pages = vec![PagePlan::at(K::Home, urls::HOME, "index.html")];
    fn each<'u>(
        n: usize,
        kind: fn(usize) -> PageKind,
        url: &'u dyn Fn(usize) -> String,
        template: &'static str,
    ) -> impl Iterator<Item = PagePlan> + 'u {
        (0..n).map(move |i| PagePlan::at(kind(i), &url(i), template))
    }
    pages.extend(each(
        fw.families.len(),
        K::Family,
        &|i| urls::family(&fw.families[i].id),
        "family.html",
    ));
    let tracks = fw.tracks.len();
    pages.extend(each(
        tracks,
        K::Track,
        &|i| urls::track(&fw.tracks[i].id),
        "track.html",
    ));
    pages.extend(each(
        tracks,
        K::Matrix,
        &|i| urls::matrix(&fw.tracks[i].id),
        "matrix.html",
    ));
    let levels = fw.levels.len();
    pages.extend(each(
        levels,
        K::Level,
        &|i| urls::level(&fw.levels[i].id),
        "level.html",
    ));
    let competencies = fw.competencies.len();
    pages.extend(each(
        competencies,
        K::Competency,
        &|i| urls::competency(&fw.competencies[i].id),
        "competency.html",
    ));
    pages.push(PagePlan::at(
        K::CompetencyIndex,
        urls::COMPETENCY_INDEX,
        "competencies.html",
    ));
    pages.extend(each(
        fw.areas.len(),
        K::Area,
        &|i| urls::area(&fw.areas[i].id),
        "area.html",
    ));
    pages.extend(each(
        fw.pages.len(),
        K::Page,
        &|i| urls::page(&fw.pages[i].slug),
        "page.html",
    ));
    pages.extend(pairs::pairs(fw).into_iter().map(|p| {
        PagePlan::at(
            K::Compare(p.a, p.b, p.kind),
            &pairs::href(fw, p.a, p.b),
            "compare.html",
        )
    }));
    pages.push(PagePlan::at(
        K::CompareIndex,
        urls::COMPARE_INDEX,
        "compare_index.html",
    ));
    pages.extend(each(
        levels,
        K::Assess,
        &|i| urls::assess(&fw.levels[i].id),
        "assess.html",
    ));
    if !fw.history.is_empty() {
        pages.push(PagePlan::at(K::History, urls::HISTORY, "changes.html"));
    }
    pages.push(PagePlan::at(K::Search, urls::SEARCH, "search.html"));
    pages.push(PagePlan {
        kind: K::NotFound,
        path: urls::NOT_FOUND_FILE.into(),
        template: "404.html",
    });
    pages
}

/// What every page's context holds besides its own data.
#[derive(Serialize)]
struct Common<'f> {
    site: Site<'f>,
    /// The prefix that leads back to the site root (`../../`); the 404 page, served
    /// from any path, links from the base path instead.
    root: String,
    page: PageInfo<'f>,
    /// The same for every page: [`nav`], made once per run and shared (tera clones a
    /// value it is given rather than serialising it again).
    nav: &'f tera::Value,
    generator: &'static str,
}

#[derive(Serialize)]
struct Site<'f> {
    title: &'f str,
    description: &'f str,
    language: &'f str,
    base_url: &'f str,
    /// `logo` (a path under the output root), if set.
    logo: Option<&'f str>,
    /// `accent_color` and its derived shades, if set.
    accent: Option<&'f crate::config::Accent>,
    /// `version:` in framework.yaml, if set.
    version: Option<&'f str>,
    /// The changes page's URL, when the site names past versions.
    changes_href: Option<&'static str>,
    /// `repository`: `{url, forge, branch}`, if set.
    repository: Option<&'f crate::forge::Repository>,
}

#[derive(Serialize)]
struct PageInfo<'p> {
    url: &'p str,
    title: String,
    template: &'p str,
    /// The forge's editor on the page's source file (level, competency and free pages
    /// of a site with a `repository`).
    edit_url: Option<String>,
    /// A new issue about what the page shows (competency pages of a site with a
    /// `repository`).
    feedback_url: Option<String>,
}

#[derive(Serialize)]
struct Nav<'f> {
    /// Job families (empty without them): the header lists these instead of tracks.
    families: Vec<views::FamilyRef<'f>>,
    tracks: Vec<TrackRef<'f>>,
    areas: Vec<AreaRef<'f>>,
    pages: Vec<PageRef<'f>>,
}

/// The site's navigation, the same on every page (`nav` in every context).
pub(crate) fn nav(fw: &Framework) -> Result<tera::Value, tera::Error> {
    tera::Value::try_from_serializable(&Nav {
        families: views::family_refs(fw),
        tracks: fw.tracks.iter().map(track_ref).collect(),
        areas: fw.areas.iter().map(area_ref).collect(),
        pages: fw.pages.iter().map(page_ref).collect(),
    })
}

/// A page's context: what every page shares, plus the page's own data.
#[derive(Serialize)]
struct Full<'f, T: Serialize> {
    #[serde(flatten)]
    own: T,
    #[serde(flatten)]
    common: Common<'f>,
}

/// A free page's context.
#[derive(Serialize)]
struct FreePage<'f> {
    page_data: &'f Page,
}

/// `/changes/`'s context: the reports, newest past version first.
#[derive(Serialize)]
struct HistoryPage<'r> {
    versions: Vec<&'r crate::change::history::Report>,
}

/// Pages with no data of their own (search, 404).
#[derive(Serialize)]
struct Nothing {}

/// The context of one page, ready for its template. `changes` are the build's
/// comparisons of levels ([`crate::change::Changes::compute`]).
pub(crate) fn context(
    fw: &Framework,
    changes: &Changes,
    page: &PagePlan,
    nav: &tera::Value,
) -> Result<tera::Context, tera::Error> {
    use PageKind as K;
    let cfg = &fw.config;
    let cx = Compared {
        fw,
        changes,
        feedback: cfg.repository.is_some() && matches!(page.kind, K::Level(_) | K::Competency(_)),
        detail: matches!(page.kind, K::Level(_)),
    };
    let common = |title: String| Common {
        site: Site {
            title: &cfg.title,
            description: &cfg.description,
            language: &cfg.language,
            base_url: &cfg.base_url,
            logo: cfg.logo.as_deref(),
            accent: cfg.accent.as_ref(),
            version: fw.version.as_deref(),
            changes_href: (!fw.history.is_empty()).then_some(urls::HISTORY),
            repository: cfg.repository.as_ref(),
        },
        root: page.root_in(cfg),
        page: PageInfo {
            url: page.url(),
            title,
            template: page.template,
            edit_url: source::edit_url(fw, &page.kind),
            feedback_url: match page.kind {
                K::Competency(i) => source::competency_feedback(fw, i),
                _ => None,
            },
        },
        nav,
        generator: concat!("rungs ", env!("CARGO_PKG_VERSION")),
    };
    fn full<T: Serialize>(own: T, common: Common) -> Result<tera::Context, tera::Error> {
        tera::Context::from_serialize(&Full { own, common })
    }
    match page.kind {
        K::Home => {
            let title = fw.intro_title.clone().unwrap_or_else(|| cfg.title.clone());
            full(pages::home::home(fw), common(title))
        }
        K::Family(i) => full(
            pages::home::family(fw, i),
            common(fw.families[i].title.clone()),
        ),
        K::Track(i) => full(
            pages::track::track(&cx, i),
            common(fw.tracks[i].title.clone()),
        ),
        K::Matrix(i) => full(
            pages::matrix::matrix(&cx, i),
            common(format!("{} matrix", fw.tracks[i].title)),
        ),
        K::Level(i) => full(
            pages::level::level(&cx, i),
            common(fw.levels[i].title.clone()),
        ),
        K::Competency(i) => full(
            pages::competency::competency(&cx, i),
            common(fw.competencies[i].title.clone()),
        ),
        K::Area(i) => full(pages::area::area(fw, i), common(fw.areas[i].title.clone())),
        K::Page(i) => full(
            FreePage {
                page_data: &fw.pages[i],
            },
            common(fw.pages[i].title.clone()),
        ),
        K::Compare(a, b, kind) => {
            let (la, lb) = (&fw.levels[a], &fw.levels[b]);
            let diffs = changes.between(a, b);
            full(
                pages::compare::compare(fw, &diffs, (a, b), kind, changes.pairs()),
                common(format!("{} and {} compared", la.title, lb.title)),
            )
        }
        K::History => full(
            HistoryPage {
                versions: changes.history().iter().rev().collect(),
            },
            common("What changed".into()),
        ),
        K::CompetencyIndex => full(
            pages::home::competency_index(fw),
            common("Competencies".into()),
        ),
        K::CompareIndex => full(
            pages::compare::compare_index(fw, changes.pairs()),
            common("Compare levels".into()),
        ),
        K::Assess(i) => full(
            pages::assess::assess(&cx, i),
            common(format!("Self-assessment: {}", fw.levels[i].title)),
        ),
        K::Search => full(Nothing {}, common("Search".into())),
        K::NotFound => full(Nothing {}, common("Page not found".into())),
    }
}
