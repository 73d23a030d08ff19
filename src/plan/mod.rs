//! Every page of the site, its output path and the template context it renders with.
//!
//! [`plan`] lists pages cheaply; [`context`] builds one page's context on demand, so the
//! parallel renderer never holds every context in memory at once, and `serve` can hash a
//! context to decide whether its page must be re-rendered.

pub mod affected;
pub mod assess;
pub mod charts;
pub mod compare;
pub mod extras;
pub mod views;

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::*;
use views::*;

/// Which page, by what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Track(usize),
    Level(usize),
    Competency(usize),
    Area(usize),
    Matrix(usize),
    Page(usize),
    /// `/compare/<a>/<b>/`: two levels side by side (issue 5).
    Compare(usize, usize, compare::PairKind),
    /// `/compare/`: the picker.
    CompareIndex,
    /// `/assess/<level>/`: the self-assessment checklist.
    Assess(usize),
    /// `/search/`: the full search page (issue 4).
    Search,
    NotFound,
}

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PagePlan {
    pub kind: PageKind,
    /// Output path relative to the output folder, e.g. `levels/staff/index.html`.
    pub path: String,
    pub template: &'static str,
}

impl PagePlan {
    /// The page's URL path relative to the site root (`levels/staff/`).
    pub fn url(&self) -> &str {
        self.path.strip_suffix("index.html").unwrap_or(&self.path)
    }

    /// The prefix that leads from this page back to the site root (`../../`).
    pub fn root(&self) -> String {
        let depth = self.path.matches('/').count();
        if depth == 0 {
            "./".into()
        } else {
            "../".repeat(depth)
        }
    }
}

pub fn plan(fw: &Framework) -> Vec<PagePlan> {
    let mut pages = vec![PagePlan {
        kind: PageKind::Home,
        path: "index.html".into(),
        template: "index.html",
    }];
    let p = |kind, path: String, template| PagePlan {
        kind,
        path,
        template,
    };
    pages.extend(fw.tracks.iter().enumerate().map(|(i, t)| {
        p(
            PageKind::Track(i),
            format!("tracks/{}/index.html", t.id),
            "track.html",
        )
    }));
    pages.extend(fw.tracks.iter().enumerate().map(|(i, t)| {
        p(
            PageKind::Matrix(i),
            format!("matrix/{}/index.html", t.id),
            "matrix.html",
        )
    }));
    pages.extend(fw.levels.iter().enumerate().map(|(i, l)| {
        p(
            PageKind::Level(i),
            format!("levels/{}/index.html", l.id),
            "level.html",
        )
    }));
    pages.extend(fw.competencies.iter().enumerate().map(|(i, c)| {
        p(
            PageKind::Competency(i),
            format!("competencies/{}/index.html", c.id),
            "competency.html",
        )
    }));
    pages.extend(fw.areas.iter().enumerate().map(|(i, a)| {
        p(
            PageKind::Area(i),
            format!("areas/{}/index.html", a.id),
            "area.html",
        )
    }));
    pages.extend(fw.pages.iter().enumerate().map(|(i, pg)| {
        p(
            PageKind::Page(i),
            format!("{}/index.html", pg.slug),
            "page.html",
        )
    }));
    pages.extend(compare::pairs(fw).into_iter().map(|pr| {
        p(
            PageKind::Compare(pr.a, pr.b, pr.kind),
            format!("{}index.html", compare::href(fw, pr.a, pr.b)),
            "compare.html",
        )
    }));
    pages.push(p(
        PageKind::CompareIndex,
        "compare/index.html".into(),
        "compare_index.html",
    ));
    pages.extend(fw.levels.iter().enumerate().map(|(i, l)| {
        p(
            PageKind::Assess(i),
            format!("assess/{}/index.html", l.id),
            "assess.html",
        )
    }));
    pages.push(p(
        PageKind::Search,
        "search/index.html".into(),
        "search.html",
    ));
    pages.push(p(PageKind::NotFound, "404.html".into(), "404.html"));
    pages
}

#[derive(Serialize)]
struct Nav {
    tracks: Vec<TrackRef>,
    areas: Vec<AreaRef>,
    pages: Vec<PageRef>,
}

/// The context of one page: what every page shares, plus the page's own data.
pub fn context(fw: &Framework, page: &PagePlan) -> Value {
    let cfg = &fw.config;
    let root = if page.kind == PageKind::NotFound {
        cfg.base_path()
    } else {
        page.root()
    };
    let nav = Nav {
        tracks: fw.tracks.iter().map(track_ref).collect(),
        areas: fw.areas.iter().map(area_ref).collect(),
        pages: fw.pages.iter().map(page_ref).collect(),
    };
    let (title, mut data) = match page.kind {
        PageKind::Home => (
            fw.intro_title.clone().unwrap_or_else(|| cfg.title.clone()),
            home(fw),
        ),
        PageKind::Track(i) => (fw.tracks[i].title.clone(), track(fw, i)),
        PageKind::Matrix(i) => (format!("{} matrix", fw.tracks[i].title), matrix(fw, i)),
        PageKind::Level(i) => (fw.levels[i].title.clone(), level(fw, i)),
        PageKind::Competency(i) => (fw.competencies[i].title.clone(), competency(fw, i)),
        PageKind::Area(i) => (fw.areas[i].title.clone(), area(fw, i)),
        PageKind::Page(i) => (
            fw.pages[i].title.clone(),
            json!({ "page_data": &fw.pages[i] }),
        ),
        PageKind::Compare(a, b, kind) => (
            format!("{} and {} compared", fw.levels[a].title, fw.levels[b].title),
            compare::compare(fw, a, b, kind),
        ),
        PageKind::CompareIndex => ("Compare levels".to_string(), compare::compare_index(fw)),
        PageKind::Assess(i) => (
            format!("Self-assessment: {}", fw.levels[i].title),
            assess::assess(fw, i),
        ),
        PageKind::Search => ("Search".to_string(), json!({})),
        PageKind::NotFound => ("Page not found".to_string(), json!({})),
    };
    extras::extend(fw, &page.kind, &mut data);
    let common = json!({
        "site": {
            "title": cfg.title,
            "description": cfg.description,
            "language": cfg.language,
            "base_url": cfg.base_url,
        },
        "root": root,
        "page": { "url": page.url(), "title": title, "template": page.template },
        "nav": nav,
        "generator": concat!("rungs ", env!("CARGO_PKG_VERSION")),
    });
    if let (Value::Object(d), Value::Object(c)) = (&mut data, common) {
        d.extend(c);
    }
    data
}

fn home(fw: &Framework) -> Value {
    let tracks: Vec<&Track> = fw.tracks.iter().collect();
    let rows = ladder_rows(fw, &tracks, (0..fw.bands.len()).rev(), |l| level_ref(fw, l));
    let areas: Vec<Value> = fw
        .areas
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            let comps: Vec<CompetencyRef> = fw
                .competencies
                .iter()
                .filter(|c| c.area == ai)
                .map(competency_ref)
                .collect();
            json!({ "area": area_ref(a), "competencies": comps })
        })
        .collect();
    json!({
        "intro_html": fw.intro_html,
        "ladder": { "tracks": tracks.iter().map(|t| track_ref(t)).collect::<Vec<_>>(), "rows": rows },
        "areas": areas,
        "counts": { "levels": fw.levels.len(), "competencies": fw.competencies.len(), "tracks": fw.tracks.len(), "bands": fw.bands.len() },
    })
}

fn previous(fw: &Framework, li: usize) -> Option<&Level> {
    let l = &fw.levels[li];
    l.tracks
        .first()
        .and_then(|t| fw.previous_on(li, t))
        .map(|i| &fw.levels[i])
}

fn track(fw: &Framework, ti: usize) -> Value {
    let t = &fw.tracks[ti];
    let levels: Vec<Value> = fw
        .track_levels(&t.id)
        .map(|(li, l)| {
            let prev = fw.previous_on(li, &t.id).map(|i| &fw.levels[i]);
            let (total, new) = fw
                .competencies
                .iter()
                .filter(|c| fw.applies(c, l))
                .map(|c| {
                    let v = cell_view(fw, c, l, prev);
                    (v.behaviours.len() + v.descriptors.len(), v.new_count)
                })
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            json!({
                "level": level_ref(fw, l),
                "attributes": attributes(l),
                "balance": balance(fw, l),
                "counts": { "total": total, "new": new },
            })
        })
        .collect();
    json!({
        "track": track_ref(t),
        "levels": levels,
        "categories": fw.categories(),
        "other_tracks": fw.tracks.iter().filter(|o| o.id != t.id).map(track_ref).collect::<Vec<_>>(),
    })
}

fn attributes(l: &Level) -> Vec<Attribute<'_>> {
    l.attributes
        .iter()
        .map(|(n, v)| Attribute { name: n, value: v })
        .collect()
}

fn level(fw: &Framework, li: usize) -> Value {
    let l = &fw.levels[li];
    let prev = previous(fw, li);
    let tracks: Vec<TrackRef> = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(track_ref)
        .collect();
    let equivalents: Vec<Value> = fw
        .levels
        .iter()
        .filter(|o| {
            o.band == l.band && o.id != l.id && !o.tracks.iter().all(|t| l.tracks.contains(t))
        })
        .map(|o| {
            let ts: Vec<TrackRef> = o
                .tracks
                .iter()
                .filter(|t| !l.tracks.contains(t))
                .filter_map(|t| fw.track(t))
                .map(track_ref)
                .collect();
            json!({ "level": level_ref(fw, o), "tracks": ts })
        })
        .collect();
    let neighbours: Vec<Value> = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(|t| {
            json!({
                "track": track_ref(t),
                "prev": fw.previous_on(li, &t.id).map(|i| level_ref(fw, &fw.levels[i])),
                "next": fw.next_on(li, &t.id).map(|i| level_ref(fw, &fw.levels[i])),
            })
        })
        .collect();
    let mut total = 0;
    let mut new = 0;
    let areas = by_area(fw, |c| {
        fw.applies(c, l).then(|| {
            let cell = cell_view(fw, c, l, prev);
            total += cell.behaviours.len() + cell.descriptors.len();
            new += cell.new_count;
            json!({ "competency": competency_ref(c), "cell": cell })
        })
    });
    json!({
        "level": {
            "id": l.id, "title": l.title, "href": format!("levels/{}/", l.id), "summary": l.summary,
            "status": l.status, "body_html": l.body_html, "attributes": attributes(l),
            "band": band_view(&fw.bands[l.band]), "tracks": tracks,
        },
        "previous": prev.map(|p| level_ref(fw, p)),
        "equivalents": equivalents,
        "neighbours": neighbours,
        "areas": areas,
        "balance": balance(fw, l),
        "counts": { "total": total, "new": new },
    })
}

fn competency(fw: &Framework, ci: usize) -> Value {
    let c = &fw.competencies[ci];
    let tracks: Vec<&Track> = fw
        .tracks
        .iter()
        .filter(|t| c.tracks.contains(&t.id))
        .collect();
    let rows = ladder_rows(fw, &tracks, 0..fw.bands.len(), |l| {
        let li = fw.level_index(l.id.as_str()).unwrap_or(0);
        json!({ "level": level_ref(fw, l), "cell": cell_view(fw, c, l, previous(fw, li)) })
    });
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.entries.is_empty()))
        .collect();
    let scale = c.scale.map(|si| {
        let s = &fw.scales[si];
        json!({
            "id": s.id, "title": s.title,
            "steps": s.steps.iter().map(|st| json!({
                "step": step_view(st),
                "behaviours": behaviour_views(c.proficiency.get(&st.id).map_or(&[][..], Vec::as_slice), |_| false),
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "competency": {
            "id": c.id, "title": c.title, "href": format!("competencies/{}/", c.id), "summary": c.summary,
            "body_html": c.body_html, "area": area_ref(&fw.areas[c.area]),
            "tracks": tracks.iter().map(|t| track_ref(t)).collect::<Vec<_>>(),
            "scale": scale,
        },
        "progression": { "tracks": tracks.iter().map(|t| track_ref(t)).collect::<Vec<_>>(), "rows": rows },
    })
}

fn area(fw: &Framework, ai: usize) -> Value {
    let a = &fw.areas[ai];
    let comps: Vec<Value> = fw
        .competencies
        .iter()
        .filter(|c| c.area == ai)
        .map(|c| {
            let tracks: Vec<TrackRef> = fw
                .tracks
                .iter()
                .filter(|t| c.tracks.contains(&t.id))
                .map(track_ref)
                .collect();
            let levels = fw
                .levels
                .iter()
                .filter(|l| fw.applies(c, l) && !fw.cell(c, l).is_empty())
                .count();
            json!({ "competency": competency_ref(c), "tracks": tracks, "levels": levels })
        })
        .collect();
    json!({ "area": area_ref(a), "competencies": comps })
}

fn matrix(fw: &Framework, ti: usize) -> Value {
    let t = &fw.tracks[ti];
    let levels: Vec<(usize, &Level)> = fw.track_levels(&t.id).collect();
    let areas = by_area(fw, |c| {
        c.tracks.contains(&t.id).then(|| {
            let cells: Vec<Value> = levels
                .iter()
                .map(|(li, l)| {
                    let prev = fw.previous_on(*li, &t.id).map(|i| &fw.levels[i]);
                    json!({ "level_id": l.id, "cell": cell_view(fw, c, l, prev) })
                })
                .collect();
            json!({ "competency": competency_ref(c), "cells": cells })
        })
    });
    json!({
        "track": track_ref(t),
        "levels": levels.iter().map(|(_, l)| level_ref(fw, l)).collect::<Vec<_>>(),
        "areas": areas,
    })
}
