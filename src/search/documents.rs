//! What can be found: one [`Doc`] per level, track, competency, area, free page, behaviour
//! (at its level) and proficiency descriptor (once per competency and step), each with its
//! text split into three tiers that rank differently (title, text, body).
//!
//! Documents are numbered in a fixed order (tracks, levels, competencies, areas, pages,
//! then behaviours level by level and competency by competency, then descriptors), so that
//! consecutive documents share their place and the manifest can describe them as runs.

#[cfg(test)]
use rayon::prelude::*;

use crate::markdown::plain_text;
use crate::model::{Behaviour, Example, Framework, TrackId};

use super::tokenize::html_to_text;

/// What a document is; the number is the wire value the client reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum DocKind {
    Track = 0,
    Level = 1,
    Competency = 2,
    Area = 3,
    Page = 4,
    /// A behaviour of a competency at a level; `place = (level, competency)`.
    Behaviour = 5,
    /// A proficiency descriptor; `place = (descriptor step index in [`Corpus::steps`], 0)`.
    Descriptor = 6,
}

/// One searchable thing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub kind: DocKind,
    /// Indices whose meaning depends on `kind` (see [`DocKind`]); `(i, 0)` for single ones.
    pub place: (usize, usize),
    /// The fragment of a behaviour or descriptor, empty otherwise.
    pub anchor: String,
    /// Ranked highest; empty for behaviours (their place names them).
    pub title: String,
    /// Summaries, attributes, a behaviour's own text.
    pub text: String,
    /// Narratives, guidance, page bodies, examples.
    pub body: String,
}

/// A proficiency step of a competency whose descriptors are indexed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepPlace {
    pub competency: usize,
    pub step_id: String,
    pub step_title: String,
    /// Levels expecting the step, in framework order.
    pub levels: Vec<usize>,
}

/// Every document plus the descriptor steps they point at.
#[derive(Debug, Default)]
#[cfg(test)]
pub(crate) struct Corpus {
    pub docs: Vec<Doc>,
    pub steps: Vec<StepPlace>,
}

/// Where a tier's plain text comes from, borrowed from the framework. Converting it
/// ([`Source::text`]) is most of the cost of collecting documents, so
/// [`super::SearchState`] compares sources and converts only the ones that changed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'f> {
    /// Used as it is (summaries; `""` for a tier a kind does not have).
    Plain(&'f str),
    /// A level's summary, then one `name: value` line per attribute.
    Attributes(&'f str, &'f [(String, String)]),
    /// Examples' Markdown, each reduced to plain text, one per line.
    Examples(&'f [Example]),
    /// rungs' own rendered HTML (narratives, guidance, page bodies) reduced to text.
    Html(&'f str),
}

impl Source<'_> {
    /// The plain text the source stands for.
    pub(crate) fn text(&self) -> String {
        match *self {
            Source::Plain(s) => s.to_string(),
            Source::Attributes(summary, attributes) => {
                let mut text = summary.to_string();
                for (name, value) in attributes {
                    // Markdown in values (links, list markers) is not text to find.
                    let value = plain_text(value).replace('\n', "; ");
                    text.push_str(&format!("\n{name}: {value}"));
                }
                text
            }
            Source::Examples(examples) => {
                let texts: Vec<String> = examples.iter().map(|e| plain_text(&e.text)).collect();
                texts.join("\n")
            }
            Source::Html(h) => html_to_text(h),
        }
    }
}

/// A document before its text is converted: what [`Doc`] holds, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocSource<'f> {
    pub kind: DocKind,
    pub place: (usize, usize),
    pub anchor: &'f str,
    pub title: &'f str,
    pub text: Source<'f>,
    pub body: Source<'f>,
}

#[cfg(test)]
impl DocSource<'_> {
    pub(crate) fn doc(&self) -> Doc {
        Doc {
            kind: self.kind,
            place: self.place,
            anchor: self.anchor.to_string(),
            title: self.title.to_string(),
            text: self.text.text(),
            body: self.body.text(),
        }
    }
}

fn single<'f>(
    kind: DocKind,
    i: usize,
    title: &'f str,
    text: Source<'f>,
    body: Source<'f>,
) -> DocSource<'f> {
    DocSource {
        kind,
        place: (i, 0),
        anchor: "",
        title,
        text,
        body,
    }
}

fn behaviour<'f>(kind: DocKind, place: (usize, usize), b: &'f Behaviour) -> DocSource<'f> {
    DocSource {
        kind,
        place,
        anchor: &b.anchor,
        title: "",
        // The plain text parsing made (`markdown::plain_text` of the Markdown).
        text: Source::Plain(&b.plain),
        body: Source::Examples(&b.examples),
    }
}

/// [`Framework::applies`] for every (level, competency) pair, from track bitsets.
struct Applies {
    levels: Vec<Vec<u64>>,
    competencies: Vec<Vec<u64>>,
}

impl Applies {
    fn new<'f>(fw: &'f Framework) -> Self {
        let mut ids: Vec<(&str, usize)> = fw
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        ids.sort_unstable();
        // Ids that name no track (assembly reports them) still compare equal to each other.
        let mut unknown: Vec<&'f str> = Vec::new();
        let mut bits = |tracks: &'f [TrackId]| -> Vec<u64> {
            let mut set = Vec::new();
            for t in tracks {
                let t = t.as_str();
                let bit = match ids.binary_search_by(|(id, _)| (*id).cmp(t)) {
                    Ok(k) => ids[k].1,
                    Err(_) => {
                        let k = unknown.iter().position(|u| *u == t).unwrap_or_else(|| {
                            unknown.push(t);
                            unknown.len() - 1
                        });
                        fw.tracks.len() + k
                    }
                };
                if set.len() <= bit / 64 {
                    set.resize(bit / 64 + 1, 0);
                }
                set[bit / 64] |= 1 << (bit % 64);
            }
            set
        };
        let levels = fw.levels.iter().map(|l| bits(&l.tracks)).collect();
        let competencies = fw.competencies.iter().map(|c| bits(&c.tracks)).collect();
        Applies {
            levels,
            competencies,
        }
    }

    fn get(&self, level: usize, competency: usize) -> bool {
        self.levels[level]
            .iter()
            .zip(&self.competencies[competency])
            .any(|(a, b)| a & b != 0)
    }
}

/// Every document, in id order, with its text still to convert, and the descriptor steps.
pub(crate) fn sources(fw: &Framework) -> (Vec<DocSource<'_>>, Vec<StepPlace>) {
    let applies = Applies::new(fw);
    let behaviours = listed_behaviours(fw, &applies);
    // Reserved whole: at 2,000 pages the list is over a megabyte, and growing it by
    // doubling cost as much as filling it.
    let descriptors: usize = fw
        .competencies
        .iter()
        .flat_map(|c| c.proficiency.values())
        .map(Vec::len)
        .sum();
    let singles = fw.tracks.len() + fw.levels.len() + fw.competencies.len() + fw.areas.len();
    let listed: usize = behaviours.iter().map(|(_, _, list)| list.len()).sum();
    let mut docs = Vec::with_capacity(singles + fw.pages.len() + listed + descriptors);
    places(fw, &mut docs);
    for (li, ci, list) in behaviours {
        for b in list {
            docs.push(behaviour(DocKind::Behaviour, (li, ci), b));
        }
    }
    let steps = descriptors_by_step(fw, &applies, &mut docs);
    (docs, steps)
}

/// Behaviours level by level, competency by competency, where the competency applies to
/// the level. Matched by merging sorted ids rather than looking each (level, competency)
/// pair up: a large framework has ten thousand pairs and sixty tracks, and this runs on
/// every `serve` rebuild.
fn listed_behaviours<'f>(
    fw: &'f Framework,
    applies: &Applies,
) -> Vec<(usize, usize, &'f [Behaviour])> {
    let mut level_ids: Vec<(&str, usize)> = fw
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    level_ids.sort_unstable();
    let mut cells: Vec<Vec<(usize, &[Behaviour])>> = vec![Vec::new(); fw.levels.len()];
    for (ci, c) in fw.competencies.iter().enumerate() {
        // Both in ascending id order.
        let mut levels = level_ids.iter().peekable();
        for (level, list) in &c.behaviours {
            while levels.next_if(|(id, _)| *id < level.as_str()).is_some() {}
            if let Some(&&(_, li)) = levels.peek().filter(|(id, _)| *id == level.as_str()) {
                cells[li].push((ci, list));
            }
        }
    }
    cells
        .into_iter()
        .enumerate()
        .flat_map(|(li, cell)| cell.into_iter().map(move |(ci, list)| (li, ci, list)))
        .filter(|&(li, ci, _)| applies.get(li, ci))
        .collect()
}

/// One document per track, level, competency, area and page.
fn places<'f>(fw: &'f Framework, docs: &mut Vec<DocSource<'f>>) {
    for (i, t) in fw.tracks.iter().enumerate() {
        let (text, body) = (Source::Plain(&t.summary), Source::Plain(""));
        docs.push(single(DocKind::Track, i, &t.title, text, body));
    }
    for (i, l) in fw.levels.iter().enumerate() {
        let text = Source::Attributes(&l.summary, &l.attributes);
        docs.push(single(
            DocKind::Level,
            i,
            &l.title,
            text,
            Source::Html(&l.body_html),
        ));
    }
    for (i, c) in fw.competencies.iter().enumerate() {
        let (text, body) = (Source::Plain(&c.summary), Source::Html(&c.body_html));
        docs.push(single(DocKind::Competency, i, &c.title, text, body));
    }
    for (i, a) in fw.areas.iter().enumerate() {
        let (text, body) = (Source::Plain(&a.summary), Source::Plain(""));
        docs.push(single(DocKind::Area, i, &a.title, text, body));
    }
    for (i, p) in fw.pages.iter().enumerate() {
        let (text, body) = (Source::Plain(&p.summary), Source::Html(&p.body_html));
        docs.push(single(DocKind::Page, i, &p.title, text, body));
    }
}

/// One document per scale descriptor, placed by step: a step names the levels that
/// expect it (a descriptor is found from every one of them).
fn descriptors_by_step<'f>(
    fw: &'f Framework,
    applies: &Applies,
    docs: &mut Vec<DocSource<'f>>,
) -> Vec<StepPlace> {
    let mut steps = Vec::new();
    for (ci, c) in fw.competencies.iter().enumerate() {
        let Some(scale) = c.scale.map(|s| &fw.scales[s]) else {
            continue;
        };
        for st in &scale.steps {
            let Some(list) = c.proficiency.get(&st.id).filter(|l| !l.is_empty()) else {
                continue;
            };
            let levels: Vec<usize> = fw
                .levels
                .iter()
                .enumerate()
                .filter(|(li, l)| applies.get(*li, ci) && l.expects.get(&c.id) == Some(&st.id))
                .map(|(i, _)| i)
                .collect();
            let si = steps.len();
            steps.push(StepPlace {
                competency: ci,
                step_id: st.id.to_string(),
                step_title: st.title.clone(),
                levels,
            });
            for b in list {
                docs.push(behaviour(DocKind::Descriptor, (si, 0), b));
            }
        }
    }
    steps
}

/// Every document with its plain text (converted in parallel).
#[cfg(test)]
pub(crate) fn collect(fw: &Framework) -> Corpus {
    let (sources, steps) = sources(fw);
    let docs = sources.par_iter().map(DocSource::doc).collect();
    Corpus { docs, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::fixture;

    #[test]
    fn every_behaviour_at_its_level_and_each_descriptor_once_become_documents() {
        let fw = fixture("basic");
        let corpus = collect(&fw);
        let count = |k| corpus.docs.iter().filter(|d| d.kind == k).count();
        assert_eq!(count(DocKind::Level), fw.levels.len());
        assert_eq!(count(DocKind::Competency), fw.competencies.len());
        assert_eq!(count(DocKind::Page), fw.pages.len());
        // troubleshooting 1+2+1, mentoring 4, design 1 (staff-engineer)
        assert_eq!(count(DocKind::Behaviour), 9);
        // design: learning, practising, leading
        assert_eq!(count(DocKind::Descriptor), 3);
        let leading = corpus
            .steps
            .iter()
            .find(|s| s.step_id == "leading")
            .expect("leading step");
        let names: Vec<&str> = leading
            .levels
            .iter()
            .map(|&i| fw.levels[i].id.as_str())
            .collect();
        assert!(names.contains(&"staff-engineer"), "{names:?}");
    }

    #[test]
    fn documents_carry_plain_text_and_examples() {
        let fw = fixture("basic");
        let corpus = collect(&fw);
        let d = corpus
            .docs
            .iter()
            .find(|d| d.text.starts_with("Leads cross-team"))
            .expect("behaviour with id");
        assert!(d.anchor.contains("leads-incidents"), "{}", d.anchor);
        assert_eq!(d.kind, DocKind::Behaviour);
        assert!(d.text.starts_with("Leads cross-team incident reviews"));
        assert_eq!(d.body, "Runs a debugging workshop.");
        let faq = corpus.docs.iter().find(|d| d.title == "FAQ").expect("page");
        assert_eq!(faq.body, "Can I switch tracks?\nYes.");
    }
}
