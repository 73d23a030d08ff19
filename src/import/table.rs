//! The neutral intermediate table every reader produces and the one writer reads: tracks
//! with their levels in ladder order, and one row per behaviour, each with the place it
//! was read from. Nothing here knows about spreadsheets or Markdown.

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Pos};

/// Where something was read: a line and column of a text file, or a row and column of a
/// spreadsheet (and its sheet, when it has several), 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The input file as the user named it.
    pub file: Arc<str>,
    /// The sheet, for a workbook.
    pub sheet: Option<Arc<str>>,
    pub line: u32,
    pub column: u32,
    /// A spreadsheet's row and column rather than a text file's line and column.
    pub grid: bool,
}

impl Place {
    /// A line and column of a text file.
    pub(crate) fn text(file: &Arc<str>, line: u32, column: u32) -> Place {
        Place {
            file: file.clone(),
            sheet: None,
            line,
            column,
            grid: false,
        }
    }

    /// How a message names it: `cell C4 of sheet "Expert"`, `cell C4`, `line 12`.
    pub(crate) fn describe(&self) -> String {
        if self.grid {
            let cell = format!("cell {}{}", column_letters(self.column), self.line);
            match &self.sheet {
                Some(s) => format!("{cell} of sheet \"{s}\""),
                None => cell,
            }
        } else {
            format!("line {}", self.line)
        }
    }

    /// `file:line` as a short reference in notes: `ladder.md:12`, `ladder.xlsx (C4 of
    /// sheet "Expert")`.
    pub(crate) fn short(&self) -> String {
        if self.grid {
            format!("{} ({})", self.file, self.describe())
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }

    /// An error at this place. Spreadsheet places name their cell in the message, since
    /// a row and column are not how people find a cell.
    pub(crate) fn error(&self, message: impl Into<String>) -> Diagnostic {
        let mut d = self.warning(message);
        d.severity = crate::diagnostics::Severity::Error;
        d
    }

    /// A warning at this place, named as [`Place::error`] names it.
    pub(crate) fn warning(&self, message: impl Into<String>) -> Diagnostic {
        let message = message.into();
        let message = if self.grid {
            format!("{}: {message}", self.describe())
        } else {
            message
        };
        Diagnostic::warning(
            self.file.to_string(),
            Pos::new(self.line, self.column),
            message,
        )
    }
}

/// `1` → `A`, `27` → `AA`.
pub(crate) fn column_letters(column: u32) -> String {
    let mut n = column.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A track's kind, as the model has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Expert,
    Manager,
}

/// What the reader read: the whole framework before ids, bands and files.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// A title for the site (a document's first heading, a title row above a header).
    pub title: Option<String>,
    /// Markdown for the home page (a document's introduction).
    pub intro: Vec<String>,
    pub tracks: Vec<TrackIn>,
    pub rows: Vec<Row>,
    /// Sections that are not levels (an FAQ), kept as free pages.
    pub pages: Vec<PageIn>,
    /// Whether behaviour text is Markdown already (a Markdown ladder) rather than plain
    /// text (a spreadsheet cell), which the writer escapes so it shows as written.
    pub markdown: bool,
    /// What the reader had to guess, for the list at the end.
    pub notes: Vec<String>,
}

/// A track and its levels in ladder order.
#[derive(Debug, Clone)]
pub(crate) struct TrackIn {
    pub title: String,
    /// The job family's title, when the source names one.
    pub family: Option<String>,
    pub summary: String,
    /// A kind the source states or suggests, with the reason (for the notes).
    pub kind: Option<(Kind, String)>,
    pub levels: Vec<LevelIn>,
    pub place: Place,
}

/// A level as read.
#[derive(Debug, Clone)]
pub(crate) struct LevelIn {
    pub title: String,
    /// An id the source gives (`level_id` of rungs' own export).
    pub id: Option<(String, Place)>,
    /// The band's title, when the source names one.
    pub band: Option<(String, Place)>,
    /// A rung number read from a heading's prefix (`Level 3 – Senior`).
    pub number: Option<u32>,
    pub summary: String,
    pub attributes: Vec<(String, String)>,
    /// The narrative, Markdown.
    pub body: String,
    /// The fragment a Markdown renderer gives its heading (`#senior-engineer`), so links
    /// to it in the introduction can point at the level's page.
    pub anchor: Option<String>,
    pub place: Place,
}

/// One behaviour, where it sits and where it was read.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Index into `Table::tracks`.
    pub track: usize,
    /// Index into that track's `levels`.
    pub level: usize,
    pub area: Option<String>,
    pub competency: String,
    /// An id the source gives (`competency_id` of rungs' own export).
    pub competency_id: Option<(String, Place)>,
    /// A description of the competency (a matrix's description column).
    pub competency_summary: Option<String>,
    /// The behaviour: Markdown if `Table::markdown`, else plain text.
    pub text: String,
    pub examples: Vec<String>,
    /// The title of the scale step the level expects (`proficiency`).
    pub proficiency: Option<String>,
    /// rungs' export: the behaviour's anchor and where it was written.
    pub anchor: Option<String>,
    pub origin: Option<String>,
    pub place: Place,
}

/// A free page.
#[derive(Debug, Clone)]
pub(crate) struct PageIn {
    pub title: String,
    /// Markdown, as written.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_spreadsheet_names() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn grid_places_name_their_cell() {
        let p = Place {
            file: "x.xlsx".into(),
            sheet: Some("Expert".into()),
            line: 4,
            column: 3,
            grid: true,
        };
        let d = p.error("too long");
        assert_eq!(d.message, "cell C4 of sheet \"Expert\": too long");
        assert_eq!((d.line, d.column), (4, 3));
    }
}
