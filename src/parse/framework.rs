//! `content/framework.yaml`: tracks, bands, areas, scales and the assessment scale, as
//! written (references are resolved by [`crate::assemble`]).

use super::assessment::{self, AssessmentDef};
use super::schema::{Node, Reader, Spanned, Value};
use super::spec::{self, Spec};
use super::{Id, Parsed, yaml_node};
use crate::diagnostics::Pos;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrackDef {
    pub id: Id,
    pub title: String,
    pub kind: Option<Id>,
    pub summary: String,
    /// The job family it belongs to (`family:`), when the framework declares families.
    pub family: Option<Id>,
    /// The track it is based on (`based_on:`): its levels take that track's expectations
    /// at the same band, with the changes their competencies list.
    pub based_on: Option<Id>,
    /// `status:` as written (`current` or `legacy`).
    pub status: Option<Id>,
}

/// A job family (`families:`): a ladder of its own tracks on the shared bands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FamilyDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
    /// Track kinds the family must have (`requires: [expert, manager]`).
    pub requires: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
    /// Areas only.
    pub category: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScaleDef {
    pub id: Id,
    pub title: String,
    pub steps: Vec<ItemDef>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FrameworkDef {
    pub families: Vec<FamilyDef>,
    pub tracks: Vec<TrackDef>,
    pub bands: Vec<ItemDef>,
    pub areas: Vec<ItemDef>,
    pub scales: Vec<ScaleDef>,
    /// The self-assessment rating scale, if the framework sets one.
    pub assessment: Option<AssessmentDef>,
    /// `expectations: cumulative | restated`, as written.
    pub expectations: Option<Spanned<String>>,
    /// `version:`, the framework's own version (e.g. `1.4.0`), as written.
    pub version: Option<Spanned<String>>,
    /// Where `tracks:` and `bands:` are, when they list nothing at all (not when their
    /// items are wrong: those are reported one by one).
    pub empty_tracks: Option<Pos>,
    pub empty_bands: Option<Pos>,
}

/// Whether a node is an empty list (or empty, `tracks:` with nothing after it).
fn is_empty_list(n: &Node) -> bool {
    match &n.value {
        Value::Seq(items) => items.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

pub(super) fn parse_framework(text: &str, r: &mut Reader) -> Parsed {
    let Some(root) = yaml_node(r, text, 1) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&root, &spec::FRAMEWORK) else {
        return Parsed::Failed;
    };
    let mut def = FrameworkDef::default();
    if let Some(n) = f.require(r, "tracks") {
        if is_empty_list(n) {
            def.empty_tracks = Some(n.pos);
        }
        for item in r.list(n, "tracks") {
            let Some(mut t) = r.fields(item, &spec::TRACK) else {
                continue;
            };
            let id = t.require(r, "id").and_then(|n| r.id(n, "id"));
            let title = t.require(r, "title").and_then(|n| r.title(n, "title"));
            let kind = t.require(r, "kind").and_then(|n| r.string(n, "kind"));
            let summary = t.get("summary").and_then(|n| r.string(n, "summary"));
            let family = t.get("family").and_then(|n| r.id(n, "family"));
            let based_on = t.get("based_on").and_then(|n| r.id(n, "based_on"));
            let status = t.get("status").and_then(|n| r.string(n, "status"));
            t.finish(r);
            if let (Some(id), Some(title)) = (id, title) {
                def.tracks.push(TrackDef {
                    id,
                    title: title.value,
                    kind,
                    summary: summary.map(|s| s.value).unwrap_or_default(),
                    family,
                    based_on,
                    status,
                });
            }
        }
    }
    if let Some(n) = f.get("families") {
        for item in r.list(n, "families") {
            let Some(mut t) = r.fields(item, &spec::FAMILY) else {
                continue;
            };
            let id = t.require(r, "id").and_then(|n| r.id(n, "id"));
            let title = t.require(r, "title").and_then(|n| r.title(n, "title"));
            let summary = t.get("summary").and_then(|n| r.string(n, "summary"));
            let requires = t
                .get("requires")
                .map(|n| r.string_list(n, "requires"))
                .unwrap_or_default();
            t.finish(r);
            if let (Some(id), Some(title)) = (id, title) {
                def.families.push(FamilyDef {
                    id,
                    title: title.value,
                    summary: summary.map(|s| s.value).unwrap_or_default(),
                    requires,
                });
            }
        }
    }
    if let Some(n) = f.require(r, "bands") {
        if is_empty_list(n) {
            def.empty_bands = Some(n.pos);
        }
        def.bands = items(r, n, "bands", &spec::BAND);
    }
    if let Some(n) = f.require(r, "areas") {
        def.areas = items(r, n, "areas", &spec::AREA);
    }
    if let Some(n) = f.get("scales") {
        for item in r.list(n, "scales") {
            let Some(mut s) = r.fields(item, &spec::SCALE) else {
                continue;
            };
            let id = s.require(r, "id").and_then(|n| r.id(n, "id"));
            let title = s.require(r, "title").and_then(|n| r.title(n, "title"));
            let steps = s
                .require(r, "steps")
                .map(|n| items(r, n, "steps", &spec::STEP));
            s.finish(r);
            if let (Some(id), Some(title)) = (id, title) {
                def.scales.push(ScaleDef {
                    id,
                    title: title.value,
                    steps: steps.unwrap_or_default(),
                });
            }
        }
    }
    if let Some(n) = f.get("assessment") {
        def.assessment = assessment::parse(r, n);
    }
    if let Some(n) = f.get("expectations") {
        def.expectations = r.string(n, "expectations");
    }
    if let Some(n) = f.get("version") {
        def.version = r.string(n, "version");
    }
    f.finish(r);
    Parsed::Framework(def)
}

/// A list of `{id, title, summary}` items (bands, areas with their `category`, steps).
fn items(r: &mut Reader, node: &Node, what: &str, spec: &'static Spec) -> Vec<ItemDef> {
    let mut out = Vec::new();
    let category = spec.field("category").is_some();
    for item in r.list(node, what) {
        let Some(mut f) = r.fields(item, spec) else {
            continue;
        };
        let id = f.require(r, "id").and_then(|n| r.id(n, "id"));
        let title = f.require(r, "title").and_then(|n| r.title(n, "title"));
        let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
        let cat = if category {
            f.require(r, "category").and_then(|n| r.text(n, "category"))
        } else {
            None
        };
        f.finish(r);
        if let (Some(id), Some(title)) = (id, title) {
            out.push(ItemDef {
                id,
                title: title.value,
                summary: summary.map(|s| s.value).unwrap_or_default(),
                category: cat
                    .map(|c| c.value.trim().to_lowercase())
                    .unwrap_or_default(),
            });
        }
    }
    out
}
