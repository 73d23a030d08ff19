//! The home page's ladder diagram: bands as rows, tracks as columns, a box per level.

use std::fmt::Write;

use super::{clip, esc, open_svg_as};
use crate::model::{Framework, TrackKind};
use crate::plan::urls;
use crate::plan::views::{LadderRow, ladder_rows};

/// Splits a title into at most two lines of about `max` characters. Linear in the
/// title: the second line stops growing once it is long enough to be clipped anyway.
pub(super) fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<(String, usize)> = vec![(String::new(), 0)];
    for word in s.split_whitespace() {
        let n = lines.len();
        let words = word.chars().count();
        let (last, chars) = &mut lines[n - 1];
        if *chars == 0 || *chars + 1 + words <= max {
            if *chars > 0 {
                last.push(' ');
                *chars += 1;
            }
            last.push_str(word);
            *chars += words;
        } else if n < 2 {
            lines.push((word.to_string(), words));
        } else if *chars <= max + 2 {
            last.push(' ');
            last.push_str(word);
            *chars += 1 + words;
        } else {
            break;
        }
    }
    lines.into_iter().map(|(l, _)| clip(&l, max + 2)).collect()
}

/// The home page's dual ladder: bands as rows (highest at the top), tracks as columns,
/// a box per level (shared-trunk levels span their tracks), arrows up each track, and
/// dashed lines joining equivalent levels across tracks.
pub(crate) fn ladder_chart(fw: &Framework, id: &str) -> String {
    let tracks: Vec<&crate::model::Track> = fw.tracks.iter().collect();
    let rows = ladder_rows(fw, &tracks, (0..fw.bands.len()).rev(), |l| l.id.0.clone());
    let geometry = Geometry {
        label_w: 110.0,
        col_w: 200.0,
        gap: 44.0,
        box_h: 40.0,
        pad: 8.0,
    };
    let width = geometry.label_w
        + tracks.len() as f64 * geometry.col_w
        + (tracks.len().max(1) - 1) as f64 * geometry.gap;
    let mut body = String::new();
    // Track titles wrap within their column, so many or long titles never overlap.
    let heads: Vec<Vec<String>> = tracks
        .iter()
        .map(|t| wrap(&t.title, ((geometry.col_w - 8.0) / 7.0) as usize))
        .collect();
    let head_lines = heads.iter().map(Vec::len).max().unwrap_or(1);
    for (i, lines) in heads.iter().enumerate() {
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                body,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
                geometry.col_x(i) + geometry.col_w / 2.0,
                16.0 + k as f64 * 14.0,
                esc(line)
            );
        }
    }
    let top = 28.0 + (head_lines - 1) as f64 * 14.0;
    let layout = ladder_boxes(fw, &rows, &geometry, top, &mut body);
    let links = ladder_links(fw, &layout, &geometry, id);
    let height = layout.bottom + 18.0 + 16.0;
    let desc = ladder_description(fw, &rows);
    let mut out = String::new();
    open_svg_as(
        &mut out,
        id,
        (width.max(460.0), height),
        // Beyond four columns the diagram keeps its size and its figure scrolls, rather
        // than shrinking its text out of legibility.
        if tracks.len() > 4 {
            "rc-ladder rc-ladder-wide"
        } else {
            "rc-ladder"
        },
        "group",
        &format!(
            "The career ladder: {}",
            fw.tracks
                .iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        &desc,
    );
    // Its least width before its figure scrolls: 80% of its drawn size, so a phone
    // shows its text at 9.6px or more instead of a whole ladder too small to read.
    let mut out = out.replacen(
        "<svg ",
        &format!(
            r#"<svg style="--drawn-min-width:{:.0}px" "#,
            0.8 * width.max(460.0)
        ),
        1,
    );
    let _ = write!(
        out,
        r#"<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="rc-arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>"#
    );
    out.push_str(&body);
    out.push_str(&links);
    out.push_str("</svg>");
    out
}

/// The ladder diagram's measures.
struct Geometry {
    label_w: f64,
    col_w: f64,
    gap: f64,
    box_h: f64,
    pad: f64,
}

impl Geometry {
    /// The left edge of track column `i`.
    fn col_x(&self, i: usize) -> f64 {
        self.label_w + i as f64 * (self.col_w + self.gap)
    }
}

/// Where the level boxes landed: per (level id, track index), the box's x centre, top
/// and bottom; the equivalence lines between filled cells of a row; the rows' bottom.
struct LadderLayout {
    boxes: Vec<(String, usize, f64, f64, f64)>,
    equivs: Vec<(f64, f64, f64)>,
    bottom: f64,
}

/// Draws the band labels and the level boxes, row by row, into `body`.
fn ladder_boxes(
    fw: &Framework,
    rows: &[LadderRow<String>],
    g: &Geometry,
    top: f64,
    body: &mut String,
) -> LadderLayout {
    let mut boxes: Vec<(String, usize, f64, f64, f64)> = Vec::new();
    let mut equivs = Vec::new();
    let mut y = top;
    for row in rows {
        let n = row
            .cells
            .iter()
            .map(|c| c.entries.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let row_h = n as f64 * (g.box_h + g.pad) + g.pad;
        if row.cells.iter().any(|c| !c.entries.is_empty()) {
            let _ = write!(
                body,
                r#"<text class="rc-muted" x="0" y="{:.1}">{}</text>"#,
                y + row_h / 2.0 + 4.0,
                esc(&clip(row.band.title, 16))
            );
        }
        let mut ti = 0;
        let mut filled: Vec<(f64, f64)> = Vec::new();
        for cell in &row.cells {
            let x = g.col_x(ti);
            let w = cell.colspan as f64 * g.col_w + (cell.colspan - 1) as f64 * g.gap;
            let kind = match fw.tracks.get(ti).map(|t| t.kind) {
                _ if cell.colspan > 1 => "rc-box-shared",
                Some(TrackKind::Manager) => "rc-box-manager",
                _ => "rc-box-expert",
            };
            // Lowest level of the band at the bottom of the cell.
            for (k, level_id) in cell.entries.iter().rev().enumerate() {
                let by = y + g.pad + k as f64 * (g.box_h + g.pad);
                let title = fw
                    .levels
                    .iter()
                    .find(|l| &l.id.0 == level_id)
                    .map_or(level_id.as_str(), |l| l.title.as_str());
                let box_h = g.box_h;
                // Every box links to its level (the diagram is on the home page, so
                // the URL is relative to the site root).
                let _ = write!(
                    body,
                    r#"<a href="{}"><rect class="rc-box {kind}" x="{x:.1}" y="{by:.1}" width="{w:.1}" height="{box_h:.1}" rx="6"/>"#,
                    esc(&urls::level(level_id))
                );
                let lines = wrap(title, ((w - 16.0) / 7.0) as usize);
                let first = by + g.box_h / 2.0 + 4.0 - (lines.len() as f64 - 1.0) * 7.0;
                for (li, line) in lines.iter().enumerate() {
                    let _ = write!(
                        body,
                        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                        x + w / 2.0,
                        first + li as f64 * 14.0,
                        esc(line)
                    );
                }
                body.push_str("</a>");
                for t in &cell.tracks {
                    if let Some(tix) = fw.tracks.iter().position(|x| x.id.as_str() == *t) {
                        let centre = g.col_x(tix) + g.col_w / 2.0;
                        boxes.push((level_id.clone(), tix, centre, by, by + g.box_h));
                    }
                }
            }
            if !cell.entries.is_empty() {
                filled.push((x, x + w));
            }
            ti += cell.colspan;
        }
        for pair in filled.windows(2) {
            equivs.push((pair[0].1, pair[1].0, y + row_h / 2.0));
        }
        y += row_h;
    }
    LadderLayout {
        boxes,
        equivs,
        bottom: y,
    }
}

/// The arrows up each track, the dashed lines between equivalent levels, and the key.
fn ladder_links(fw: &Framework, layout: &LadderLayout, g: &Geometry, id: &str) -> String {
    let boxes = &layout.boxes;
    let mut links = String::new();
    for (tix, t) in fw.tracks.iter().enumerate() {
        let ids: Vec<&str> = fw.track_levels(&t.id).map(|(_, l)| l.id.as_str()).collect();
        for pair in ids.windows(2) {
            let find = |lid: &str| boxes.iter().find(|b| b.0 == lid && b.1 == tix);
            let (Some(lo), Some(hi)) = (find(pair[0]), find(pair[1])) else {
                continue;
            };
            // Shared boxes draw their trunk once, from the first track they span.
            let shared_lo = boxes.iter().filter(|b| b.0 == lo.0).count() > 1;
            let shared_hi = boxes.iter().filter(|b| b.0 == hi.0).count() > 1;
            let x = if shared_lo && shared_hi {
                if tix != boxes.iter().find(|b| b.0 == lo.0).map_or(tix, |b| b.1) {
                    continue;
                }
                let xs: Vec<f64> = boxes.iter().filter(|b| b.0 == lo.0).map(|b| b.2).collect();
                xs.iter().sum::<f64>() / xs.len() as f64
            } else {
                lo.2
            };
            if lo.3 > hi.4 + 4.0 {
                let _ = write!(
                    links,
                    r#"<line class="rc-link" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" marker-end="url(#{id}-arrow)"/>"#,
                    lo.3,
                    hi.4 + 3.0
                );
            }
        }
    }
    for (x1, x2, y) in &layout.equivs {
        let _ = write!(
            links,
            r#"<line class="rc-equiv" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
            x1 + 3.0,
            x2 - 3.0
        );
    }
    let key_y = layout.bottom + 18.0;
    let label_w = g.label_w;
    let _ = write!(
        links,
        r#"<line class="rc-link" x1="{label_w}" y1="{:.1}" x2="{label_w}" y2="{:.1}" marker-end="url(#{id}-arrow)"/><text class="rc-muted" x="{:.1}" y="{:.1}">next level on a track</text><line class="rc-equiv" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="rc-muted" x="{:.1}" y="{:.1}">equivalent levels (same band)</text>"#,
        key_y + 8.0,
        key_y - 6.0,
        label_w + 10.0,
        key_y + 5.0,
        label_w + 170.0,
        key_y,
        label_w + 200.0,
        key_y,
        label_w + 208.0,
        key_y + 5.0
    );
    links
}

fn ladder_description(fw: &Framework, rows: &[LadderRow<String>]) -> String {
    let title = |id: &str| {
        fw.levels
            .iter()
            .find(|l| l.id.0 == id)
            .map_or(id.to_string(), |l| l.title.clone())
    };
    let track_title = |id: &str| {
        fw.tracks
            .iter()
            .find(|t| t.id.0 == id)
            .map_or(id.to_string(), |t| t.title.clone())
    };
    let mut parts = vec!["Bands from highest to lowest".to_string()];
    for row in rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .filter(|c| !c.entries.is_empty())
            .map(|c| {
                let levels = c
                    .entries
                    .iter()
                    .map(|e| title(e))
                    .collect::<Vec<_>>()
                    .join(" then ");
                let tracks = c.tracks.iter().map(|t| track_title(t)).collect::<Vec<_>>();
                if tracks.len() > 1 {
                    format!("{levels} (shared by {})", tracks.join(" and "))
                } else {
                    format!("{levels} ({})", tracks.join(""))
                }
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        let joined = if cells.len() > 1 {
            format!("{}, equivalent", cells.join(" and "))
        } else {
            cells.join("")
        };
        parts.push(format!("{}: {joined}", row.band.title));
    }
    parts.join(". ") + "."
}
