//! What can be found: one [`Doc`] per level, track, competency, area, free page, behaviour
//! (at its level) and proficiency descriptor (once per competency and step), each with its
//! text split into three tiers that rank differently (title, text, body).
//!
//! Documents are numbered in a fixed order (tracks, levels, competencies, areas, pages,
//! then behaviours level by level and competency by competency, then descriptors), so that
//! consecutive documents share their place and the manifest can describe them as runs.

use crate::markdown::plain_text;
use crate::model::{Behaviour, Framework};

use super::tokenize::html_to_text;

/// What a document is; the number is the wire value the client reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
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
pub struct Doc {
    pub kind: Kind,
    /// Indices whose meaning depends on `kind` (see [`Kind`]); `(i, 0)` for single ones.
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
pub struct StepPlace {
    pub competency: usize,
    pub step_id: String,
    pub step_title: String,
    /// Levels expecting the step, in framework order.
    pub levels: Vec<usize>,
}

/// Every document plus the descriptor steps they point at.
#[derive(Debug, Default)]
pub struct Corpus {
    pub docs: Vec<Doc>,
    pub steps: Vec<StepPlace>,
}

fn doc(kind: Kind, place: (usize, usize), title: &str, text: String, body: String) -> Doc {
    Doc {
        kind,
        place,
        anchor: String::new(),
        title: title.to_string(),
        text,
        body,
    }
}

fn behaviour_doc(kind: Kind, place: (usize, usize), b: &Behaviour) -> Doc {
    let examples: Vec<String> = b.examples.iter().map(|e| plain_text(&e.text)).collect();
    Doc {
        kind,
        place,
        anchor: b.anchor.clone(),
        title: String::new(),
        text: plain_text(&b.text),
        body: examples.join("\n"),
    }
}

pub fn collect(fw: &Framework) -> Corpus {
    let mut docs = Vec::new();
    for (i, t) in fw.tracks.iter().enumerate() {
        docs.push(doc(
            Kind::Track,
            (i, 0),
            &t.title,
            t.summary.clone(),
            String::new(),
        ));
    }
    for (i, l) in fw.levels.iter().enumerate() {
        let mut text = l.summary.clone();
        for (name, value) in &l.attributes {
            text.push_str(&format!("\n{name}: {value}"));
        }
        docs.push(doc(
            Kind::Level,
            (i, 0),
            &l.title,
            text,
            html_to_text(&l.body_html),
        ));
    }
    for (i, c) in fw.competencies.iter().enumerate() {
        let body = html_to_text(&c.body_html);
        docs.push(doc(
            Kind::Competency,
            (i, 0),
            &c.title,
            c.summary.clone(),
            body,
        ));
    }
    for (i, a) in fw.areas.iter().enumerate() {
        docs.push(doc(
            Kind::Area,
            (i, 0),
            &a.title,
            a.summary.clone(),
            String::new(),
        ));
    }
    for (i, p) in fw.pages.iter().enumerate() {
        let body = html_to_text(&p.body_html);
        docs.push(doc(Kind::Page, (i, 0), &p.title, p.summary.clone(), body));
    }
    for (li, l) in fw.levels.iter().enumerate() {
        for (ci, c) in fw.competencies.iter().enumerate() {
            if !fw.applies(c, l) {
                continue;
            }
            for b in c.behaviours.get(&l.id).map_or(&[][..], Vec::as_slice) {
                docs.push(behaviour_doc(Kind::Behaviour, (li, ci), b));
            }
        }
    }
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
                .filter(|(_, l)| fw.applies(c, l) && l.expects.get(&c.id) == Some(&st.id))
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
                docs.push(behaviour_doc(Kind::Descriptor, (si, 0), b));
            }
        }
    }
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
        assert_eq!(count(Kind::Level), fw.levels.len());
        assert_eq!(count(Kind::Competency), fw.competencies.len());
        assert_eq!(count(Kind::Page), fw.pages.len());
        // troubleshooting 1+2+1, mentoring 4, design 1 (staff-engineer)
        assert_eq!(count(Kind::Behaviour), 9);
        // design: learning, practising, leading
        assert_eq!(count(Kind::Descriptor), 3);
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
        assert_eq!(d.kind, Kind::Behaviour);
        assert!(d.text.starts_with("Leads cross-team incident reviews"));
        assert_eq!(d.body, "Runs a debugging workshop.");
        let faq = corpus.docs.iter().find(|d| d.title == "FAQ").expect("page");
        assert_eq!(faq.body, "Can I switch tracks?\nYes.");
    }
}
