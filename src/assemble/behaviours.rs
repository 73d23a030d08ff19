//! Behaviours resolved into the model, each with a stable anchor, and the lineage authors
//! state between levels checked.

use std::collections::{BTreeSet, HashMap};

use super::Ctx;
use crate::diagnostics::Pos;
use crate::model::*;
use crate::parse::BehaviourDef;

/// Resolves one list of behaviours (a level's, or a scale step's), giving each a stable
/// anchor: `<prefix>-<its id>` when the author gave one, else `<prefix>-<first words of
/// its text>`, so anchors survive reordering. An id is unique within the list; the same id
/// at another level of the competency says the two are one line of growth.
pub(super) fn behaviours(
    cx: &mut Ctx,
    file: &str,
    prefix: &str,
    defs: &[BehaviourDef],
    anchors: &mut BTreeSet<String>,
) -> Vec<Behaviour> {
    let mut ids: HashMap<&str, Pos> = HashMap::new();
    defs.iter()
        .map(|b| {
            let base = match &b.id {
                Some(id) => {
                    if let Some(first) = ids.get(id.value.as_str()) {
                        cx.error(
                            file,
                            id.pos,
                            format!("duplicate behaviour id `{}`", id.value),
                            format!("the first behaviour with this id in the same list is at line {}; an id names one behaviour per level (the same id at another level says it grows from that one)", first.line),
                        );
                    }
                    ids.insert(&id.value, id.pos);
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
                plain: b.plain.clone(),
                examples: b.examples.clone(),
                from: b
                    .from
                    .as_ref()
                    .map(|list| list.iter().map(|i| i.value.clone()).collect()),
                signature: b.signature.clone(),
                origin: None,
            }
        })
        .collect()
}

/// Checks that every `from:` of `defs` names a behaviour in `below` (the lists at the
/// levels or step below, by their name), as an error at the id.
pub(super) fn check_lineage(
    cx: &mut Ctx,
    file: &str,
    defs: &[BehaviourDef],
    below: &[(&str, &[Behaviour])],
) {
    for b in defs {
        for id in b.from.iter().flatten() {
            let found = below.iter().any(|(_, list)| {
                list.iter()
                    .any(|x| x.id.as_deref() == Some(id.value.as_str()))
            });
            if found {
                continue;
            }
            // Each once: levels below on two tracks may list (or inherit) the same one.
            let mut names: Vec<&str> = Vec::new();
            let mut ids: Vec<String> = Vec::new();
            for (n, list) in below {
                if !names.contains(n) {
                    names.push(n);
                }
                for id in list.iter().filter_map(|x| x.id.as_deref()) {
                    let id = format!("`{id}`");
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            let help = match (names.is_empty(), ids.is_empty()) {
                (true, _) => "`from` names behaviours of the level below on the same track; this is the first level that lists any".to_string(),
                (false, true) => format!("no behaviour at {} has an `id`; give the one this grows from `id: {}`", names.join(" or "), id.value),
                (false, false) => format!("ids at {}: {}", names.join(" or "), ids.join(", ")),
            };
            cx.error(
                file,
                id.pos,
                format!(
                    "`from: {}` names no behaviour of this competency at the level below",
                    id.value
                ),
                help,
            );
        }
    }
}
