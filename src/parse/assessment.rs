//! `assessment:` in framework.yaml as written (see [`crate::model::assessment`]).

use super::Id;
use super::schema::{Node, Reader};
use super::spec::{ASSESSMENT, RATING};
use crate::diagnostics::Pos;

/// One step of the rating scale as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RatingDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
}

/// `assessment:` as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AssessmentDef {
    pub pos: Pos,
    pub ratings: Vec<RatingDef>,
}

/// Reads `assessment:`; problems become diagnostics on `r`.
pub(crate) fn parse(r: &mut Reader, node: &Node) -> Option<AssessmentDef> {
    let mut f = r.fields(node, &ASSESSMENT)?;
    let mut ratings = Vec::new();
    if let Some(list) = f.require(r, "ratings") {
        for item in r.list(list, "ratings") {
            let Some(mut rf) = r.fields(item, &RATING) else {
                continue;
            };
            let id = rf.require(r, "id").and_then(|n| r.id(n, "id"));
            let title = rf.require(r, "title").and_then(|n| r.title(n, "title"));
            let summary = rf.get("summary").and_then(|n| r.string(n, "summary"));
            rf.finish(r);
            if let (Some(id), Some(title)) = (id, title) {
                ratings.push(RatingDef {
                    id,
                    title: title.value,
                    summary: summary.map(|s| s.value).unwrap_or_default(),
                });
            }
        }
    }
    f.finish(r);
    Some(AssessmentDef {
        pos: node.pos,
        ratings,
    })
}
