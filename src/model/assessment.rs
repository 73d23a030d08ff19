//! The self-assessment rating scale: `assessment: { ratings: [...] }` in framework.yaml,
//! read by `parse`, checked by `assemble`.
//!
//! ```yaml
//! assessment:
//!   ratings:                 # lowest first; the last one means "meets the expectation"
//!     - { id: not-yet, title: Not yet }
//!     - { id: sometimes, title: Sometimes }
//!     - { id: consistently, title: Consistently }
//! ```

use serde::Serialize;

/// Shareable URLs encode one rating per behaviour as a base-36 digit (0 = unrated), so a
/// scale holds at most 35 ratings.
pub const MAX_RATINGS: usize = 35;

/// One rating a reader can give a behaviour on an assessment page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// Its id in framework.yaml, unique within the scale.
    pub id: String,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
}

/// The resolved rating scale, lowest first. The last rating is the one the plan treats
/// as "consistently meets the expectation".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Lowest first; from 2 to [`MAX_RATINGS`] of them.
    pub ratings: Vec<Rating>,
}

impl Default for Assessment {
    fn default() -> Self {
        let r = |id: &str, title: &str, summary: &str| Rating {
            id: id.into(),
            title: title.into(),
            summary: summary.into(),
        };
        Assessment {
            ratings: vec![
                r(
                    "not-yet",
                    "Not yet",
                    "I have not shown this yet, or only with help.",
                ),
                r(
                    "sometimes",
                    "Sometimes",
                    "I show this in some situations but not reliably.",
                ),
                r(
                    "consistently",
                    "Consistently",
                    "I show this regularly, without being prompted.",
                ),
            ],
        }
    }
}
