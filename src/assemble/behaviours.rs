//! Behaviours resolved into the model, each with a stable anchor.

use std::collections::{BTreeSet, HashMap};

use super::Ctx;
use crate::diagnostics::Pos;
use crate::model::*;
use crate::parse::BehaviourDef;

/// Resolves behaviours, giving each a stable anchor: `<prefix>-<its id>` when the author
/// gave one, else `<prefix>-<first words of its text>`, so anchors survive reordering.
pub(super) fn behaviours(
    cx: &mut Ctx,
    file: &str,
    prefix: &str,
    defs: &[BehaviourDef],
    anchors: &mut BTreeSet<String>,
    ids: &mut HashMap<String, Pos>,
) -> Vec<Behaviour> {
    defs.iter()
        .map(|b| {
            let base = match &b.id {
                Some(id) => {
                    if let Some(first) = ids.get(&id.value)
                        && *first != id.pos
                    {
                        cx.error(
                            file,
                            id.pos,
                            format!("duplicate behaviour id `{}`", id.value),
                            format!("the first behaviour with this id is at line {}", first.line),
                        );
                    }
                    ids.insert(id.value.clone(), id.pos);
                    format!("{prefix}-{}", id.value)
                }
                None => format!("{prefix}-{}", b.slug),
            };
            let mut anchor = base.clone();
            if !anchors.insert(anchor.clone()) {
                let mut n = 2;
                while !anchors.insert(anchor.clone()) {
                    anchor = format!("{base}-{n}");
                    n += 1;
                }
                // Two behaviours that open with the same eight words: the link to the
                // second depends on the order they are listed in.
                if b.id.is_none() {
                    cx.warning(
                        file,
                        b.pos,
                        format!("this behaviour's anchor `{base}` is taken by an earlier behaviour that starts with the same words; it is linked as `{anchor}`"),
                        "give one of them an `id` (`- text: …` with `id: …`) so links to it do not depend on the order",
                    );
                }
            }
            Behaviour {
                id: b.id.as_ref().map(|i| i.value.clone()),
                anchor,
                text: b.text.clone(),
                html: b.html.clone(),
                examples: b.examples.clone(),
            }
        })
        .collect()
}
