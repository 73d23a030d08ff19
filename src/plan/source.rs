//! Links into the repository the site's sources live in (`repository` in site.toml):
//! "edit this page" on level, competency and free pages, and "give feedback" on every
//! competency and behaviour, a new issue whose title and description name what it is
//! about by id and anchor. None of them without a repository.
//!
//! Every URL is built from the validated settings and ids only (see [`crate::forge`]):
//! no title, behaviour text or other prose reaches them.

use super::{PageKind, urls};
use crate::forge::Repository;
use crate::model::{Behaviour, Framework};

/// Where a behaviour is shown: a level's cell, or a step of the competency's scale.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At<'f> {
    /// Listed for this level (index into `Framework::levels`), or a descriptor of the
    /// step it expects.
    Level(usize),
    /// A descriptor of this step, on the competency page's scale.
    Step(&'f str),
}

fn repo(fw: &Framework) -> Option<&Repository> {
    fw.config.repository.as_ref()
}

/// The source file of a page, as a path from the site folder, if it has one of its own.
fn source_file(fw: &Framework, kind: &PageKind) -> Option<String> {
    match *kind {
        PageKind::Level(i) => Some(fw.levels[i].file.clone()),
        PageKind::Competency(i) => Some(fw.competencies[i].file.clone()),
        PageKind::Page(i) => Some(format!("content/pages/{}.md", fw.pages[i].slug)),
        _ => None,
    }
}

/// The forge's editor on the page's source file.
pub(crate) fn edit_url(fw: &Framework, kind: &PageKind) -> Option<String> {
    Some(repo(fw)?.edit_url(&source_file(fw, kind)?))
}

/// Where a reader finds a page: its address when `base_url` is absolute, else its path
/// from the site's root.
fn address(fw: &Framework, url: &str) -> String {
    match fw.config.absolute_base() {
        Some(base) => format!("{base}{url}"),
        None => format!("/{url}"),
    }
}

const ASK: &str = "What would you change, and why?";

/// A new issue about competency `ci` as a whole.
pub(crate) fn competency_feedback(fw: &Framework, ci: usize) -> Option<String> {
    let repo = repo(fw)?;
    let c = &fw.competencies[ci];
    let title = format!("Feedback on competency {}", c.id);
    let body = format!(
        "Competency: {}\nPage: {}\nSource: {}\n\n{ASK}\n",
        c.id,
        address(fw, &urls::competency(&c.id)),
        c.file,
    );
    Some(repo.issue_url(&title, &body))
}

/// A new issue about behaviour `b` of competency `ci`, shown `at` a level or a step.
pub(crate) fn behaviour_feedback(
    fw: &Framework,
    ci: usize,
    at: At<'_>,
    b: &Behaviour,
) -> Option<String> {
    let repo = repo(fw)?;
    let c = &fw.competencies[ci];
    let (place, page) = match at {
        At::Level(li) => {
            let l = &fw.levels[li].id;
            (format!("Level: {l}"), urls::level_anchor(l, &b.anchor))
        }
        At::Step(step) => (
            format!("Step: {step}"),
            format!("{}#{}", urls::competency(&c.id), b.anchor),
        ),
    };
    let id =
        b.id.as_deref()
            .map(|id| format!("Behaviour id: {id}\n"))
            .unwrap_or_default();
    let title = format!("Feedback on behaviour {}", b.anchor);
    let body = format!(
        "Competency: {}\n{place}\nBehaviour: #{}\n{id}Page: {}\nSource: {}\n\n{ASK}\n",
        c.id,
        b.anchor,
        address(fw, &page),
        c.file,
    );
    Some(repo.issue_url(&title, &body))
}
