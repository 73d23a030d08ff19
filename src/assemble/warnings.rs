//! Warnings: what is legal but probably a mistake.

use super::{Ctx, FRAMEWORK_FILE};
use crate::diagnostics::Pos;
use crate::model::*;

/// Legal but probably a mistake.
pub(super) fn warn_suspicious(cx: &mut Ctx, fw: &Framework) {
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
            cx.warning(
                &c.file,
                Pos::START,
                format!("no level uses competency `{}`", c.id),
                "add behaviours for some levels, or map levels onto its scale with `expects:`",
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
