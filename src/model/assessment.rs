//! The assessment vocabularies: `assessment: { ratings, outcomes, evidence }` in
//! framework.yaml, read by `parse`, checked by `assemble`. Each list has a default.
//!
//! ```yaml
//! assessment:
//!   ratings:                 # lowest first; the last one means "meets the expectation"
//!     - { id: not-yet, title: Not yet }
//!     - { id: sometimes, title: Sometimes }
//!     - { id: consistently, title: Consistently }
//!   outcomes:                # what a calibration can agree; never computed
//!     - { id: maturing, title: Maturing }
//!     - { id: performing, title: Performing }
//!     - { id: exceeding, title: Exceeding }
//!   evidence:                # where the evidence for a rating comes from
//!     - { id: own, title: My own account }
//!     - { id: peer, title: A peer }
//! ```

use serde::Serialize;

/// Shareable URLs encode one rating per behaviour as a base-36 digit (0 = unrated), so a
/// scale holds at most 35 ratings.
pub const MAX_RATINGS: usize = 35;

/// One entry of a vocabulary: a rating, an outcome or an evidence source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Its id in framework.yaml, unique within its list; records keep it.
    pub id: String,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
}

/// One rating a reader can give a behaviour on an assessment page.
pub type Rating = Choice;

/// The resolved vocabularies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Lowest first; from 2 to [`MAX_RATINGS`] of them. The last one is the one the plan
    /// treats as "consistently meets the expectation".
    pub ratings: Vec<Rating>,
    /// The outcomes a calibration can agree, at least two.
    pub outcomes: Vec<Choice>,
    /// The evidence sources a rater can name, at least one.
    pub evidence: Vec<Choice>,
}

fn list(items: &[(&str, &str, &str)]) -> Vec<Choice> {
    items
        .iter()
        .map(|(id, title, summary)| Choice {
            id: (*id).into(),
            title: (*title).into(),
            summary: (*summary).into(),
        })
        .collect()
}

/// The default rating scale.
pub fn default_ratings() -> Vec<Rating> {
    list(&[
        (
            "not-yet",
            "Not yet",
            "I have not shown this yet, or only with help.",
        ),
        (
            "sometimes",
            "Sometimes",
            "I show this in some situations but not reliably.",
        ),
        (
            "consistently",
            "Consistently",
            "I show this regularly, without being prompted.",
        ),
    ])
}

/// The default outcome vocabulary.
pub fn default_outcomes() -> Vec<Choice> {
    list(&[
        ("maturing", "Maturing", "Growing into this level."),
        ("performing", "Performing", "Working at this level."),
        ("exceeding", "Exceeding", "Working beyond this level."),
    ])
}

/// The default evidence sources.
pub fn default_evidence() -> Vec<Choice> {
    list(&[
        ("own", "My own account", ""),
        ("peer", "A peer", ""),
        ("manager", "The manager saw it", ""),
        (
            "artefact",
            "An artefact",
            "A design document, a review, a pull request or similar.",
        ),
    ])
}

impl Default for Assessment {
    fn default() -> Self {
        Assessment {
            ratings: default_ratings(),
            outcomes: default_outcomes(),
            evidence: default_evidence(),
        }
    }
}
