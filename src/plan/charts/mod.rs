//! Build-time SVG charts: the balance of a track's levels between area
//! categories, a compact balance bar for one level, and the dual ladder diagram.
//!
//! Charts are plain strings of inline SVG, so they work without JavaScript, print, and
//! can be styled by the page. Each has `role="img"`, a `<title>` and a `<desc>` that
//! spells out the data. Colours come from CSS classes (`rc-c0` … `rc-c5`, one per
//! category, the same order and hues as the theme's `cat-N` swatches, but light enough
//! in both schemes to carry dark percentage labels) set by a small `<style>` each chart
//! carries, so a chart is never unstyled; a theme overrides them with `--chart-N` and
//! `--chart-N-dark` custom properties. Boxes use the theme's `--surface`, `--expert`,
//! `--manager` and `--shared`. Categories
//! after the first also get a hatch pattern, so bars stay distinguishable in greyscale
//! print and for readers who cannot tell the colours apart.

use std::fmt::Write;

use super::views::{balance, percentages};

mod ladder;

use crate::model::{Framework, TrackId};
pub(crate) use ladder::ladder_chart;

/// How many distinct category colours and patterns there are; categories wrap around.
pub(crate) const PALETTE: usize = 6;

/// One bar: a label and its count per category (in [`Framework::categories`] order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bar {
    pub label: String,
    pub counts: Vec<usize>,
}

/// The data of a track's balance chart: one bar per level, lowest first.
pub(crate) fn track_bars(fw: &Framework, track: &TrackId) -> Vec<Bar> {
    fw.track_levels(track)
        .map(|(_, l)| Bar {
            label: l.title.clone(),
            counts: balance(fw, l).iter().map(|b| b.count).collect(),
        })
        .collect()
}

/// Whether a balance chart would say anything: the levels (those that expect something)
/// do not all divide their expectations the same way. One behaviour per competency at
/// every level gives the same bar everywhere, which is noise under a heading that says
/// "how the balance shifts".
pub(crate) fn balance_varies(bars: &[Bar]) -> bool {
    let mut shapes = bars
        .iter()
        .filter(|b| b.counts.iter().any(|&c| c > 0))
        .map(|b| percentages(&b.counts));
    let Some(first) = shapes.next() else {
        return false;
    };
    shapes.any(|s| s != first)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Shortens a label to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Rough text width at the charts' 12px font, for layout.
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 6.8
}

const STYLE: &str = "<style>\
.rc-chart{font-size:12px;max-width:100%;height:auto;overflow:visible}\
.rc-chart text{fill:currentColor}\
.rc-c0{fill:var(--chart-0,#8fb6e3)}.rc-c1{fill:var(--chart-1,#f0b765)}.rc-c2{fill:var(--chart-2,#bda5ec)}\
.rc-c3{fill:var(--chart-3,#7fcdb9)}.rc-c4{fill:var(--chart-4,#eb9fbf)}.rc-c5{fill:var(--chart-5,#b5bcc5)}\
.rc-chart .rc-on-seg{fill:#111;font-size:11px}\
.rc-hatch{stroke:rgba(0,0,0,.3);stroke-width:1.3;fill:none}.rc-dot{fill:rgba(0,0,0,.3)}\
.rc-frame{fill:none;stroke:currentColor;stroke-opacity:.35}\
.rc-box{fill:var(--surface,#f6f7f9);stroke:var(--shared,#5b6673);stroke-width:1.5}\
.rc-box-expert{stroke:var(--expert,#0d7363)}.rc-box-manager{stroke:var(--manager,#7443c2)}\
.rc-box-shared{stroke-width:2.5}\
.rc-chart .rc-muted{fill-opacity:.75}\
.rc-link{stroke:currentColor;stroke-opacity:.55;stroke-width:1.5;fill:none}\
.rc-equiv{stroke:currentColor;stroke-opacity:.55;stroke-width:1.5;stroke-dasharray:5 4}\
.rc-arrowhead{fill:currentColor;fill-opacity:.55}\
@media (prefers-color-scheme:dark){\
.rc-c0{fill:var(--chart-0-dark,#5b9be0)}.rc-c1{fill:var(--chart-1-dark,#e0a03c)}.rc-c2{fill:var(--chart-2-dark,#a585ee)}\
.rc-c3{fill:var(--chart-3-dark,#3cb899)}.rc-c4{fill:var(--chart-4-dark,#e06a9c)}.rc-c5{fill:var(--chart-5-dark,#8e99a6)}}\
@media print{.rc-chart text{fill:#000}.rc-c0{fill:#8fb6e3}.rc-c1{fill:#f0b765}.rc-c2{fill:#bda5ec}.rc-c3{fill:#7fcdb9}.rc-c4{fill:#eb9fbf}.rc-c5{fill:#b5bcc5}}\
</style>";

/// Pattern definitions for categories 1..PALETTE (category 0 is plain).
fn patterns(id: &str) -> String {
    let mut s = String::from("<defs>");
    let shapes = [
        "",
        r#"<path class="rc-hatch" d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2"/>"#,
        r#"<circle class="rc-dot" cx="3" cy="3" r="1.1"/>"#,
        r#"<path class="rc-hatch" d="M0,3 h6"/>"#,
        r#"<path class="rc-hatch" d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2 M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2"/>"#,
        r#"<path class="rc-hatch" d="M3,0 v6"/>"#,
    ];
    for (i, shape) in shapes.iter().enumerate().skip(1) {
        let _ = write!(
            s,
            r#"<pattern id="{id}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse">{shape}</pattern>"#
        );
    }
    s.push_str("</defs>");
    s
}

/// A category-coloured rectangle with its pattern on top.
fn segment(out: &mut String, id: &str, cat: usize, x: f64, y: f64, w: f64, h: f64) {
    let c = cat % PALETTE;
    let _ = write!(
        out,
        r#"<rect class="rc-seg rc-c{c}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#
    );
    if c != 0 {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="url(#{id}-p{c})"/>"#
        );
    }
}

/// The colour (palette slot) of each category, by its name rather than its place, so
/// "technical" is the same colour on every site: common names have a slot of their own
/// (technical or craft, delivery or results, leadership or people, enterprise or
/// culture); other categories take the free slots in order.
pub(crate) fn slots(categories: &[String]) -> Vec<usize> {
    const KNOWN: &[(&str, usize)] = &[
        ("technical", 0),
        ("craft", 0),
        ("engineering", 0),
        ("delivery", 1),
        ("results", 1),
        ("impact", 1),
        ("execution", 1),
        ("leadership", 2),
        ("people", 2),
        ("management", 2),
        ("enterprise", 3),
        ("culture", 3),
        ("collaboration", 3),
        ("core", 4),
    ];
    let mut taken = [false; PALETTE];
    let mut out: Vec<Option<usize>> = categories
        .iter()
        .map(|c| {
            let name = c.to_lowercase();
            let slot = KNOWN.iter().find(|(k, _)| *k == name).map(|(_, s)| *s)?;
            // Two names for one slot on the same site: the second takes a free one.
            (!std::mem::replace(&mut taken[slot], true)).then_some(slot)
        })
        .collect();
    let mut free = (0..PALETTE)
        .filter(|s| !taken[*s])
        .collect::<Vec<_>>()
        .into_iter();
    for (i, slot) in out.iter_mut().enumerate() {
        if slot.is_none() {
            *slot = Some(free.next().unwrap_or(i % PALETTE));
        }
    }
    out.into_iter().map(|s| s.unwrap_or(0)).collect()
}

/// A legend laid out in rows that fit `width`; returns the height used.
fn legend(
    out: &mut String,
    id: &str,
    (labels, colours): (&[String], &[usize]),
    (x0, y0): (f64, f64),
    width: f64,
) -> f64 {
    let (mut x, mut y) = (x0, y0);
    for (i, label) in labels.iter().enumerate() {
        let w = 20.0 + text_width(label) + 16.0;
        if x > x0 && x + w > x0 + width {
            x = x0;
            y += 20.0;
        }
        segment(out, id, colours[i], x, y, 14.0, 14.0);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            x + 20.0,
            y + 11.5,
            esc(label)
        );
        x += w;
    }
    y - y0 + 20.0
}

/// One 100% stacked bar with percentage labels on segments wide enough to hold them;
/// `colours` gives each category's palette slot.
fn stacked(
    out: &mut String,
    id: &str,
    (counts, colours): (&[usize], &[usize]),
    (x, y): (f64, f64),
    (w, h): (f64, f64),
) {
    let total: usize = counts.iter().sum();
    let _ = write!(
        out,
        r#"<rect class="rc-frame" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#
    );
    if total == 0 {
        return;
    }
    let pcts = percentages(counts);
    let mut cx = x;
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let sw = w * n as f64 / total as f64;
        segment(out, id, colours[i], cx, y, sw, h);
        let label = format!("{}%", pcts[i]);
        if sw >= text_width(&label) + 8.0 {
            let _ = write!(
                out,
                r#"<text class="rc-on-seg" x="{:.1}" y="{:.1}" text-anchor="middle" aria-hidden="true">{label}</text>"#,
                cx + sw / 2.0,
                y + h / 2.0 + 4.0
            );
        }
        cx += sw;
    }
}

/// "Technical 60% (12), leadership 40% (8)".
fn describe(categories: &[String], counts: &[usize]) -> String {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return "no expectations".into();
    }
    let pcts = percentages(counts);
    categories
        .iter()
        .zip(counts)
        .zip(pcts)
        .filter(|((_, n), _)| **n > 0)
        .map(|((c, n), p)| format!("{c} {p}% ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn open_svg(out: &mut String, id: &str, w: f64, h: f64, class: &str, title: &str, desc: &str) {
    open_svg_as(out, id, (w, h), class, "img", title, desc);
}

/// [`open_svg`] with another role: `group` for a chart whose parts are links (an
/// `img` may not hold interactive content).
fn open_svg_as(
    out: &mut String,
    id: &str,
    (w, h): (f64, f64),
    class: &str,
    role: &str,
    title: &str,
    desc: &str,
) {
    let _ = write!(
        out,
        r#"<svg class="rc-chart {class}" id="{id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="{role}" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{STYLE}{}"#,
        esc(title),
        esc(desc),
        patterns(id)
    );
}

/// The track page's chart: one 100% stacked bar per level, lowest level at the top,
/// with the total number of expectations at the end of each bar. Drawn twice: labels
/// beside the bars for a wide screen, and labels above them for a phone (the page's
/// style shows one), so neither shrinks its text to a few pixels nor hides bars
/// off-screen.
pub(crate) fn balance_chart(id: &str, title: &str, categories: &[String], bars: &[Bar]) -> String {
    let mut out = balance_wide(id, title, categories, bars);
    out.push_str(&balance_narrow(
        &format!("{id}-narrow"),
        title,
        categories,
        bars,
    ));
    out
}

/// The balance chart's text alternative.
fn balance_description(categories: &[String], bars: &[Bar]) -> String {
    format!(
        "How each level's expectations divide between {}, lowest level first. {}.",
        categories.join(", "),
        bars.iter()
            .map(|b| format!("{}: {}", b.label, describe(categories, &b.counts)))
            .collect::<Vec<_>>()
            .join(". ")
    )
}

/// [`balance_chart`] for a phone: 360 wide, each level's name and total on a line of
/// their own above its bar.
fn balance_narrow(id: &str, title: &str, categories: &[String], bars: &[Bar]) -> String {
    let width = 360.0;
    let labels: Vec<String> = categories.iter().map(|c| capitalise(c)).collect();
    let colours = slots(categories);
    let mut body = String::new();
    let legend_h = legend(&mut body, id, (&labels, &colours), (0.0, 0.0), width);
    let top = legend_h + 10.0;
    let row_h = 44.0;
    for (i, bar) in bars.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let total: usize = bar.counts.iter().sum();
        let _ = write!(
            body,
            r#"<text x="0" y="{:.1}">{}</text><text class="rc-muted" x="{width:.1}" y="{:.1}" text-anchor="end">{total}</text>"#,
            y + 12.0,
            esc(&clip(&bar.label, 44)),
            y + 12.0,
        );
        stacked(
            &mut body,
            id,
            (&bar.counts, &colours),
            (0.0, y + 18.0),
            (width, 20.0),
        );
    }
    let height = top + bars.len() as f64 * row_h;
    let mut out = String::new();
    let desc = balance_description(categories, bars);
    open_svg(
        &mut out,
        id,
        width,
        height,
        "rc-balance-narrow",
        title,
        &desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// [`balance_chart`] for a wide screen.
fn balance_wide(id: &str, title: &str, categories: &[String], bars: &[Bar]) -> String {
    // Room for the longest level name (up to 44 characters), not a fixed column that
    // cuts "IC6 Principal Software Engineer" short while the bars have room to spare.
    let longest = bars
        .iter()
        .map(|b| text_width(&clip(&b.label, 44)))
        .fold(0.0, f64::max);
    let (width, total_w) = (720.0, 44.0);
    let label_w = (longest + 16.0).clamp(120.0, 320.0);
    let bar_w = width - label_w - total_w;
    let labels: Vec<String> = categories.iter().map(|c| capitalise(c)).collect();
    let colours = slots(categories);
    let mut body = String::new();
    let legend_h = legend(&mut body, id, (&labels, &colours), (label_w, 0.0), bar_w);
    let top = legend_h + 10.0;
    let row_h = 30.0;
    for (i, bar) in bars.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let _ = write!(
            body,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            label_w - 10.0,
            y + 15.5,
            esc(&clip(&bar.label, 44))
        );
        stacked(
            &mut body,
            id,
            (&bar.counts, &colours),
            (label_w, y),
            (bar_w, 22.0),
        );
        let total: usize = bar.counts.iter().sum();
        let _ = write!(
            body,
            r#"<text class="rc-muted" x="{:.1}" y="{:.1}">{total}</text>"#,
            label_w + bar_w + 8.0,
            y + 15.5
        );
    }
    let height = top + bars.len() as f64 * row_h + 4.0;
    let desc = balance_description(categories, bars);
    let mut out = String::new();
    open_svg(&mut out, id, width, height, "rc-balance", title, &desc);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// The level page's compact chart: one bar with a legend of percentages beneath.
pub(crate) fn compact_chart(
    id: &str,
    title: &str,
    categories: &[String],
    counts: &[usize],
) -> String {
    let width = 400.0;
    let pcts = percentages(counts);
    let labels: Vec<String> = categories
        .iter()
        .zip(&pcts)
        .map(|(c, p)| format!("{} {p}%", capitalise(c)))
        .collect();
    let colours = slots(categories);
    let mut body = String::new();
    stacked(&mut body, id, (counts, &colours), (0.0, 0.0), (width, 18.0));
    let legend_h = legend(&mut body, id, (&labels, &colours), (0.0, 26.0), width);
    let desc = format!(
        "{} expectations: {}.",
        counts.iter().sum::<usize>(),
        describe(categories, counts)
    );
    let mut out = String::new();
    open_svg(
        &mut out,
        id,
        width,
        26.0 + legend_h,
        "rc-compact",
        title,
        &desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::ladder::wrap;
    use super::*;

    #[test]
    fn percentages_add_up_to_one_hundred() {
        assert_eq!(percentages(&[1, 1, 1]), [34, 33, 33]);
        assert_eq!(percentages(&[2, 0, 6]), [25, 0, 75]);
        assert_eq!(percentages(&[0, 0]), [0, 0]);
        assert_eq!(percentages(&[7, 3, 5, 1]).iter().sum::<u32>(), 100);
    }

    #[test]
    fn a_balance_that_never_changes_is_not_worth_a_chart() {
        let bar = |counts: &[usize]| Bar {
            label: "L".into(),
            counts: counts.to_vec(),
        };
        // One behaviour per competency everywhere: 2:1 at every level, 4:2 too.
        assert!(!balance_varies(&[bar(&[2, 1]), bar(&[4, 2]), bar(&[0, 0])]));
        assert!(!balance_varies(&[bar(&[3, 0]), bar(&[5, 0])]));
        assert!(!balance_varies(&[]));
        assert!(balance_varies(&[bar(&[2, 1]), bar(&[1, 1])]));
    }

    #[test]
    fn balance_chart_has_text_alternatives_and_one_bar_per_level() {
        let cats = vec!["technical".to_string(), "leadership".to_string()];
        let bars = vec![
            Bar {
                label: "Engineer".into(),
                counts: vec![3, 1],
            },
            Bar {
                label: "Lead & <Boss>".into(),
                counts: vec![1, 3],
            },
        ];
        let svg = balance_chart("c", "Balance", &cats, &bars);
        assert!(svg.starts_with(r#"<svg class="rc-chart rc-balance" id="c""#));
        assert!(svg.contains(r#"role="img" aria-labelledby="c-title c-desc""#));
        assert!(svg.contains("<desc id=\"c-desc\">How each level's expectations divide between technical, leadership, lowest level first. Engineer: technical 75% (3), leadership 25% (1). Lead &amp; &lt;Boss&gt;: technical 25% (1), leadership 75% (3).</desc>"), "{svg}");
        // Drawn for a wide screen and again for a phone, each with its own ids.
        assert_eq!(svg.matches("class=\"rc-frame\"").count(), 4);
        assert_eq!(svg.matches("<svg ").count(), 2);
        assert!(svg.contains(r#"<svg class="rc-chart rc-balance-narrow" id="c-narrow""#));
        assert!(svg.contains(r#"aria-labelledby="c-narrow-title c-narrow-desc""#));
        assert_eq!(svg.matches(">Lead &amp; &lt;Boss&gt;</text>").count(), 2);
        assert!(svg.contains(r#"fill="url(#c-narrow-p2)""#));
        // Leadership keeps its colour (slot 2) and pattern, though it is second here.
        assert!(svg.contains(r#"fill="url(#c-p2)""#));
        assert!(!svg.contains(r#"fill="url(#c-p1)""#));
    }

    #[test]
    fn empty_bars_draw_a_frame_only() {
        let svg = compact_chart("x", "T", &["technical".into()], &[0]);
        assert!(svg.contains("0 expectations: no expectations."));
        assert!(!svg.contains("rc-seg rc-c0\" x=\"0.0\" y=\"0.0\""));
    }

    #[test]
    fn wrap_keeps_titles_to_two_lines() {
        assert_eq!(
            wrap("Senior engineering manager", 20),
            ["Senior engineering", "manager"]
        );
        assert_eq!(
            wrap("Senior engineering manager", 14),
            ["Senior", "engineering man…"]
        );
        assert_eq!(wrap("Staff", 14), ["Staff"]);
    }
}

#[cfg(test)]
mod colour_tests {
    use super::slots;

    fn s(names: &[&str]) -> Vec<usize> {
        slots(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_category_keeps_its_colour_whatever_its_place() {
        assert_eq!(s(&["technical", "leadership"]), [0, 2]);
        assert_eq!(s(&["leadership", "technical"]), [2, 0]);
        assert_eq!(s(&["delivery", "technical", "enterprise"]), [1, 0, 3]);
        // Unknown names take free slots; two names for one slot do not share a colour.
        assert_eq!(s(&["design", "technical", "craft"]), [1, 0, 2]);
        assert_eq!(
            s(&["a", "b", "c", "d", "e", "f", "g"]),
            [0, 1, 2, 3, 4, 5, 0]
        );
    }
}
