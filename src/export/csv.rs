//! `framework.csv`: the framework flattened to one row per behaviour, for the
//! spreadsheets framework owners live in.
//!
//! RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote
//! or line break, quotes doubled. A UTF-8 byte-order mark leads the file so Excel reads
//! non-ASCII text correctly. Cells that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'` (OWASP's advice on
//! CSV injection), because behaviour text is contributor input.

use crate::markdown::plain_text_as_written as plain_text;
use crate::model::{Behaviour, Framework, Level, Origin, Track};

/// The header row. The first eight columns are the issue's; the ids after them let a
/// spreadsheet join rows back to the site (`levels/<level_id>/#<anchor>`); then the
/// track's job family (empty without families) and, for an inherited behaviour, where it
/// was written (`core:<band id>` or `level:<level id>`). New columns go last so that
/// spreadsheets built on the file keep working.
pub(crate) const COLUMNS: &[&str] = &[
    "track",
    "band",
    "level",
    "area",
    "competency",
    "behaviour",
    "examples",
    "proficiency",
    "level_id",
    "competency_id",
    "anchor",
    "family",
    "origin",
];

/// One CSV field, quoted if needed and defused if a spreadsheet would evaluate it.
#[cfg(test)]
pub(crate) fn field(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    push_field(&mut v, value);
    v
}

/// Appends [`field`]`(value)` to `out`.
fn push_field(out: &mut String, value: &str) {
    // The `'` that defuses a formula needs no quoting itself.
    let quoted = value.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        out.push('\'');
    }
    if quoted {
        let mut parts = value.split('"');
        out.push_str(parts.next().unwrap_or_default());
        for part in parts {
            out.push_str("\"\"");
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn push_row(out: &mut String, cells: &[&str]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, c);
    }
    out.push_str("\r\n");
}

/// The whole file. Rows go by track, then level (ladder order), then area and
/// competency order; a level on several tracks gets one set of rows per track. Within a
/// cell the level's own behaviours come first, then its scale step's descriptors.
///
/// Built from the same pieces as `serve`'s incremental export
/// ([`crate::export::ExportState`]): [`header`], then [`level_rows`] for each
/// `(track, level)` in [`row_order`].
pub(crate) fn framework_csv(fw: &Framework) -> String {
    let mut out = header();
    for (t, l) in row_order(fw) {
        level_rows(&mut out, fw, &fw.tracks[t], &fw.levels[l]);
    }
    out
}

/// The byte-order mark and the header row: everything before the first level's rows.
pub(crate) fn header() -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, COLUMNS);
    out
}

/// The `(track, level)` pairs, by index into `fw.tracks` and `fw.levels`, in the order
/// their rows appear: by track, then ladder order. A level on several tracks is listed
/// once per track. Depends only on the framework's skeleton (tracks, levels' tracks and
/// order).
pub(crate) fn row_order(fw: &Framework) -> impl Iterator<Item = (usize, usize)> + '_ {
    fw.tracks
        .iter()
        .enumerate()
        .flat_map(move |(t, track)| fw.track_levels(&track.id).map(move |(l, _)| (t, l)))
}

/// Appends the rows of `level` as shown on `track`: one per behaviour and descriptor of
/// every competency that applies to the level. The track only fills the first column.
pub(crate) fn level_rows(out: &mut String, fw: &Framework, track: &Track, level: &Level) {
    let band = &fw.bands[level.band].title;
    let family = track.family.map_or("", |f| fw.families[f].title.as_str());
    for c in fw.competencies.iter().filter(|c| fw.applies(c, level)) {
        let cell = fw.cell(c, level);
        let step = cell.step.map_or("", |s| s.title.as_str());
        let area = &fw.areas[c.area].title;
        let all: Vec<&Behaviour> = cell.behaviours.iter().chain(cell.descriptors).collect();
        for b in all {
            let examples: Vec<String> = b.examples.iter().map(|e| plain_text(&e.text)).collect();
            let origin = match b.origin {
                Some(Origin::Core(band)) => format!("core:{}", fw.bands[band].id),
                Some(Origin::Level(l)) => format!("level:{}", fw.levels[l].id),
                None => String::new(),
            };
            // A behaviour whose plain text is its source (plain prose, most of them)
            // has nothing a Markdown rule or smart punctuation would change.
            let text: std::borrow::Cow<str> = if std::sync::Arc::ptr_eq(&b.plain, &b.text) {
                std::borrow::Cow::Borrowed(&b.text)
            } else {
                plain_text(&b.text).into()
            };
            push_row(
                out,
                &[
                    &track.title,
                    band,
                    &level.title,
                    area,
                    &c.title,
                    &text,
                    &examples.join("\n"),
                    step,
                    level.id.as_str(),
                    c.id.as_str(),
                    &b.anchor,
                    family,
                    &origin,
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_per_rfc_4180() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    /// `field` as it was before it appended in place.
    fn field_before(value: &str) -> String {
        let mut v = String::with_capacity(value.len() + 2);
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            v.push('\'');
        }
        v.push_str(value);
        if v.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v
        }
    }

    #[test]
    fn fields_are_as_before_appending_in_place() {
        let parts = [
            "", "a", ",", "\"", "\n", "\r", "=", "+", "-", "@", "\t", "'", "é",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let v = format!("{a}{b}{c}");
                    assert_eq!(field(&v), field_before(&v), "{v:?}");
                }
            }
        }
    }

    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("a=b"), "a=b");
    }
}
