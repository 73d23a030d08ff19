//! What issue 5 adds to existing pages' contexts: the balance and ladder charts, and the
//! level page's links to its comparisons and its self-assessment. Kept apart from the
//! page builders in `mod.rs` so the theme contract for these keys is in one place:
//!
//! - home: `ladder_chart` (inline SVG), `compare_href`
//! - track: `balance_chart` (inline SVG)
//! - level: `balance_chart` (compact inline SVG), `assess_href`, `compare_links`
//!   (`[{href, kind: "next"|"previous"|"equivalent", label, level}]`)

use serde_json::{Value, json};

use super::PageKind;
use super::charts;
use super::compare::{PairKind, href, pairs};
use super::views::*;
use crate::model::Framework;

/// Adds the keys above to a page's own data.
pub fn extend(fw: &Framework, kind: &PageKind, data: &mut Value) {
    let Value::Object(map) = data else { return };
    let cats = fw.categories();
    match *kind {
        PageKind::Home => {
            map.insert(
                "ladder_chart".into(),
                json!(charts::ladder_chart(fw, "ladder-chart")),
            );
            map.insert("compare_href".into(), json!("compare/"));
        }
        PageKind::Track(i) => {
            let t = &fw.tracks[i];
            let bars = charts::track_bars(fw, &t.id);
            map.insert(
                "balance_chart".into(),
                json!(charts::balance_chart(
                    &format!("balance-{}", t.id),
                    &format!(
                        "Balance of expectations by level on the {}",
                        t.title.to_lowercase()
                    ),
                    &cats,
                    &bars
                )),
            );
        }
        PageKind::Level(i) => {
            let l = &fw.levels[i];
            let counts: Vec<usize> = balance(fw, l).iter().map(|b| b.count).collect();
            map.insert(
                "balance_chart".into(),
                json!(charts::compact_chart(
                    &format!("balance-{}", l.id),
                    &format!("Balance of {}'s expectations", l.title),
                    &cats,
                    &counts
                )),
            );
            map.insert("assess_href".into(), json!(format!("assess/{}/", l.id)));
            let mut links = Vec::new();
            for p in pairs(fw) {
                let (other, kind, a, b) = match p.kind {
                    PairKind::Adjacent if p.a == i => (p.b, "next", p.a, p.b),
                    PairKind::Adjacent if p.b == i => (p.a, "previous", p.a, p.b),
                    PairKind::Equivalent if p.a == i => (p.b, "equivalent", p.a, p.b),
                    PairKind::Equivalent if p.b == i => (p.a, "equivalent", p.a, p.b),
                    _ => continue,
                };
                let o = &fw.levels[other];
                let label = match kind {
                    "next" => format!("Compare with the next level, {}", o.title),
                    "previous" => format!("Compare with the level below, {}", o.title),
                    _ => format!("Compare with {} on the other track", o.title),
                };
                links.push(json!({
                    "href": href(fw, a, b),
                    "kind": kind,
                    "label": label,
                    "level": level_ref(fw, o),
                }));
            }
            map.insert("compare_links".into(), json!(links));
        }
        _ => {}
    }
}
