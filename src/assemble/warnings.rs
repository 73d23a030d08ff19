//! Warnings: what is legal but probably a mistake.

use super::{Ctx, FRAMEWORK_FILE};
use crate::diagnostics::Pos;
use crate::model::*;

/// Legal but probably a mistake. `scale_unknown`: competencies whose scale is an error
/// already (levels that expect a step of them look unused, but are not).
pub(super) fn warn_suspicious(
    cx: &mut Ctx,
    fw: &Framework,
    scale_unknown: &std::collections::HashSet<&str>,
    unresolved_bases: &[TrackId],
) {
    for level in &fw.levels {
        let any = fw
            .competencies
            .iter()
            .any(|c| fw.applies(c, level) && !fw.cell(c, level).is_empty());
        if !any {
            cx.warning(
                &level.file,
                Pos::START,
                format!("level `{}` has no expectations", level.id),
                "list behaviours for it in competency files, or add `expects:` to its front matter",
            );
        }
    }
    for c in &fw.competencies {
        let used = fw
            .levels
            .iter()
            .any(|l| fw.applies(c, l) && !fw.cell(c, l).is_empty());
        if !used {
            if scale_unknown.contains(c.id.as_str()) {
                continue;
            }
            cx.warning(
                &c.file,
                Pos::START,
                format!("no level uses competency `{}`", c.id),
                "add behaviours for some levels, or map levels onto its scale with `expects:`",
            );
            continue;
        }
        // Used, but not on every track it applies to: those tracks' pages would list it
        // with nothing in it (a sparse framework's commonest slip).
        let unused: Vec<&str> = c
            .tracks
            .iter()
            .filter(|t| {
                // A track whose `based_on` is broken (reported) inherits nothing yet.
                !unresolved_bases.contains(t)
                    && fw.track_levels(t).next().is_some()
                    && !fw.track_levels(t).any(|(_, l)| !fw.cell(c, l).is_empty())
            })
            .map(|t| t.as_str())
            .collect();
        if !unused.is_empty() {
            let list = unused
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cx.warning(
                &c.file,
                Pos::START,
                format!(
                    "competency `{}` applies to {} but no level there expects anything of it",
                    c.id, list
                ),
                "list the tracks it is for with `tracks:`, or add behaviours for their levels",
            );
        }
    }
    for t in &fw.tracks {
        if fw.track_levels(&t.id).next().is_none() {
            cx.warning(
                FRAMEWORK_FILE,
                Pos::START,
                format!("track `{}` has no levels", t.id),
                format!("add level files under content/levels/{}/", t.id),
            );
        }
    }
}
