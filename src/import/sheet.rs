//! Spreadsheet files into grids of text cells: CSV through the `csv` crate, XLSX and ODS
//! through `calamine`. Cells are trimmed, line ends made `\n`, and bounded; a merged
//! region of a workbook repeats its value in every cell it covers.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xlsx};

use super::table::Place;
use super::{Input, MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS};
use crate::diagnostics::Diagnostic;

/// One sheet: rows of cells, 0-based as stored (row `r`, column `c` is cell
/// `column_letters(c + 1)` `r + 1`). Rows hold only their non-empty cells, by column,
/// so memory follows the text read, not the rectangle it spans.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    /// The sheet's name (`None` for a CSV file).
    pub name: Option<Arc<str>>,
    pub cells: Vec<Vec<(usize, String)>>,
    pub file: Arc<str>,
}

impl Sheet {
    /// The cell at a 0-based row and column, `""` when there is none.
    pub(crate) fn cell(&self, row: usize, col: usize) -> &str {
        let Some(r) = self.cells.get(row) else {
            return "";
        };
        r.binary_search_by_key(&col, |(c, _)| *c)
            .map_or("", |i| r[i].1.as_str())
    }

    /// The rows, from the first to the last that holds a cell.
    pub(crate) fn rows(&self) -> usize {
        self.cells.len()
    }

    /// The non-empty cells of a row, by column.
    pub(crate) fn row_cells(&self, row: usize) -> impl Iterator<Item = (usize, &str)> {
        self.cells
            .get(row)
            .into_iter()
            .flatten()
            .map(|(c, t)| (*c, t.as_str()))
    }

    /// One past the last column of a row that holds a cell.
    pub(crate) fn row_width(&self, row: usize) -> usize {
        self.cells
            .get(row)
            .and_then(|r| r.last())
            .map_or(0, |(c, _)| c + 1)
    }

    /// The place of a 0-based row and column.
    pub(crate) fn place(&self, row: usize, col: usize) -> Place {
        Place {
            file: self.file.clone(),
            sheet: self.name.clone(),
            line: row as u32 + 1,
            column: col as u32 + 1,
            grid: true,
        }
    }

    fn set(&mut self, row: usize, col: usize, text: String) {
        if self.cells.len() <= row {
            self.cells.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.cells[row];
        match r.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => r[i].1 = text,
            Err(i) => r.insert(i, (col, text)),
        }
    }
}

/// The sheets of a workbook or CSV file, with what was wrong in its cells and what was
/// guessed (a delimiter, hidden sheets skipped).
pub(crate) struct Sheets {
    pub sheets: Vec<Sheet>,
    pub diags: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// The cell's text as a behaviour or title: line ends as `\n`, ends trimmed.
fn normalize(text: &str) -> String {
    let t = text.trim();
    if t.contains('\r') {
        t.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        t.to_string()
    }
}

/// Checks a cell's size, reporting it at its place.
fn bounded(text: &str, place: impl FnOnce() -> Place, diags: &mut Vec<Diagnostic>) -> bool {
    if text.len() > MAX_CELL_BYTES {
        diags.push(
            place()
                .error(format!(
                    "the cell holds {} bytes; the importer reads cells of at most {} bytes",
                    text.len(),
                    MAX_CELL_BYTES
                ))
                .with_help("a behaviour or a level's cell of a career framework is far smaller; check that the right file and column were read"),
        );
        return false;
    }
    if let Some((_, c)) = crate::parse::frontmatter::forbidden_controls(text).next() {
        // Written as is, the site would fail its own check at a file the user never
        // wrote; the cell is where it can be fixed.
        diags.push(
            place()
                .error(format!(
                    "the cell holds the control character U+{:04X}, which web pages cannot show",
                    c as u32
                ))
                .with_help("delete it in the spreadsheet (it often comes from text pasted from another program)"),
        );
        return false;
    }
    true
}

/// Whether a position is inside the importer's limits, reporting it when not.
fn within_limits(
    row: usize,
    col: usize,
    place: impl FnOnce() -> Place,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if row < MAX_ROWS && col < MAX_COLUMNS {
        return true;
    }
    diags.push(place().error(format!(
        "the sheet uses cells beyond row {MAX_ROWS} or column {}; the importer reads at most {MAX_ROWS} rows and {MAX_COLUMNS} columns",
        super::table::column_letters(MAX_COLUMNS as u32)
    )).with_help("delete what is beyond the framework's table, or copy the table into a new sheet"));
    false
}

/// Reads a CSV file: UTF-8 (a byte-order mark is skipped), delimited by commas, or by
/// semicolons or tabs when the first line says so.
pub(crate) fn read_csv(input: &Input, bytes: &[u8]) -> Sheets {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut notes = Vec::new();
    let delimiter = sniff_delimiter(bytes);
    if delimiter != b',' {
        notes.push(format!(
            "{}: read as separated by {}, the most frequent separator of its first line",
            input.display,
            if delimiter == b'\t' {
                "tabs"
            } else {
                "semicolons"
            }
        ));
    }
    let mut sheet = Sheet {
        name: None,
        cells: Vec::new(),
        file: input.display.clone(),
    };
    let mut diags = Vec::new();
    if let Some((line, column)) = unclosed_quote(bytes, delimiter) {
        // The CSV reader takes the rest of the file as that one cell, silently; the
        // file is still read, so the other problems are found in the same run.
        diags.push(
            Place::text(&input.display, line, column)
                .error("this quote opens a cell that is never closed, so the rest of the file would be read as one cell")
                .with_help("close the quote at the end of the cell; a quote inside a quoted cell is written twice (\"\")"),
        );
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(row as u32 + 1, |p| p.line() as u32);
                diags.push(
                    Place::text(&input.display, line, 1)
                        .error(format!("cannot read the CSV file here: {e}")),
                );
                break;
            }
        }
        for (col, field) in record.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            if !within_limits(row, col, || sheet.place(row, col), &mut diags) {
                break;
            }
            let text = match std::str::from_utf8(field) {
                Ok(t) => t,
                Err(_) => {
                    diags.push(
                        sheet
                            .place(row, col)
                            .error("this cell is not UTF-8 text")
                            .with_help("save the file as \"CSV UTF-8\" (Excel) or with the UTF-8 character set (LibreOffice, Google Sheets' download is UTF-8)"),
                    );
                    continue;
                }
            };
            if !bounded(text, || sheet.place(row, col), &mut diags) {
                continue;
            }
            let text = undefuse(normalize(text));
            if !text.is_empty() {
                sheet.set(row, col, text);
            }
        }
        row += 1;
        if row > MAX_ROWS {
            diags.push(sheet.place(row - 1, 0).error(format!(
                "the file has more than {MAX_ROWS} rows; the importer reads at most {MAX_ROWS}"
            )));
            break;
        }
    }
    Sheets {
        sheets: vec![sheet],
        diags,
        notes,
    }
}

/// Where (line, column, from 1) a quoted cell opens that is never closed, if one does:
/// a quote at the start of a cell opens it, two quotes inside it are one, and a quote
/// followed by anything else closes it (as the CSV reader reads them).
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<(u32, u32)> {
    let (mut line, mut column) = (1u32, 0u32);
    let mut opened: Option<(u32, u32)> = None;
    let mut at_cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Columns count characters, not the bytes of one.
        if b & 0xC0 != 0x80 {
            column += 1;
        }
        match (opened.is_some(), b) {
            (true, b'"') if bytes.get(i + 1) == Some(&b'"') => {
                i += 1;
                column += 1;
            }
            (true, b'"') => opened = None,
            (false, b'"') if at_cell_start => opened = Some((line, column)),
            _ => {}
        }
        at_cell_start = opened.is_none() && (b == delimiter || b == b'\n' || b == b'\r');
        if b == b'\n' {
            line += 1;
            column = 0;
        }
        i += 1;
    }
    opened
}

/// A cell that rungs' own export (and OWASP's advice) defused with a leading `'`
/// because it starts like a formula: the text as written.
fn undefuse(text: String) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text,
    }
}

/// The separator of the first line (outside quotes): comma unless semicolons or tabs are
/// more frequent.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes.iter().take(64 * 1024) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        b';'
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        b'\t'
    } else {
        b','
    }
}

/// The most a workbook may expand to: its XML, unzipped (real frameworks are a few MB).
const MAX_UNZIPPED_BYTES: u64 = 256 << 20;

/// Refuses a workbook whose parts would unzip to more than [`MAX_UNZIPPED_BYTES`]
/// before any XML is parsed, so a small file cannot expand into gigabytes.
fn check_zip(input: &Input, bytes: &[u8]) -> Result<(), Diagnostic> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Place::text(&input.display, 1, 1)
            .error(format!(
                "this is not an {} workbook: {e}",
                input.format_name()
            ))
            .with_help(
                "check the file's format, or export it again from the spreadsheet application",
            )
    })?;
    let mut total: u64 = 0;
    let mut archive = archive;
    for i in 0..archive.len() {
        if let Ok(f) = archive.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(Place::text(&input.display, 1, 1).error(format!(
            "the workbook unzips to {total} bytes; the importer reads workbooks of at most {MAX_UNZIPPED_BYTES} bytes unzipped"
        )));
    }
    Ok(())
}

/// Reads the visible sheets of an XLSX workbook, cell by cell (never allocating the
/// rectangle a stray far-away cell would span), merged regions filled.
pub(crate) fn read_xlsx(input: &Input, bytes: &[u8]) -> Sheets {
    let mut out = Sheets {
        sheets: Vec::new(),
        diags: Vec::new(),
        notes: Vec::new(),
    };
    if let Err(d) = check_zip(input, bytes) {
        out.diags.push(d);
        return out;
    }
    let mut book: Xlsx<_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            out.diags.push(unreadable(input, e));
            return out;
        }
    };
    for meta in book.sheets_metadata().to_vec() {
        if meta.visible != SheetVisible::Visible {
            out.notes.push(format!(
                "{}: skipped the hidden sheet \"{}\"",
                input.display, meta.name
            ));
            continue;
        }
        let name: Arc<str> = meta.name.as_str().into();
        let mut sheet = Sheet {
            name: Some(name.clone()),
            cells: Vec::new(),
            file: input.display.clone(),
        };
        let result = (|| -> Result<(), calamine::XlsxError> {
            let mut cells = book.worksheet_cells_reader(&meta.name)?;
            while let Some(cell) = cells.next_cell()? {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                if !within_limits(r, c, || sheet.place(r, c), &mut out.diags) {
                    break;
                }
                let text = data_ref_text(cell.get_value());
                if text.is_empty() || !bounded(&text, || sheet.place(r, c), &mut out.diags) {
                    continue;
                }
                sheet.set(r, c, normalize(&text));
            }
            Ok(())
        })();
        if let Err(e) = result {
            out.diags.push(
                Place {
                    file: input.display.clone(),
                    sheet: Some(name.clone()),
                    line: 1,
                    column: 1,
                    grid: true,
                }
                .error(format!("cannot read this sheet: {e}")),
            );
            continue;
        }
        let regions = book
            .merge_cells_by_sheet_name(&meta.name)
            .unwrap_or_default();
        let skipped = fill_merged(&mut sheet, &regions);
        if skipped > 0 {
            out.notes.push(format!(
                "{}, sheet \"{}\": {skipped} merged region(s) of more than {MAX_MERGED_CELLS} cells left as they are (only their first cell holds the text)",
                input.display, meta.name
            ));
        }
        out.sheets.push(sheet);
    }
    out
}

/// The most cells one merged region may fill: far more than any framework merges (an
/// area down its competencies, a cell across a few levels), far less than hurts.
const MAX_MERGED_CELLS: usize = 10_000;

/// A merged region shows its top-left value across all its cells: the importer reads it
/// that way (a competency name merged down its rows, a cell merged across levels).
/// Returns how many regions were too large to fill.
fn fill_merged(sheet: &mut Sheet, regions: &[calamine::Dimensions]) -> usize {
    let mut skipped = 0;
    for d in regions {
        let (r0, c0) = (d.start.0 as usize, d.start.1 as usize);
        // Only as far as the cells read (a region over empty space fills nothing).
        let r1 = (d.end.0 as usize).min(sheet.rows().saturating_sub(1).max(r0));
        let c1 = d.end.1 as usize;
        let value = sheet.cell(r0, c0).to_string();
        if value.is_empty() || r1 < r0 || c1 < c0 {
            continue;
        }
        if (r1 - r0 + 1).saturating_mul(c1 - c0 + 1) > MAX_MERGED_CELLS || c1 >= MAX_COLUMNS {
            skipped += 1;
            continue;
        }
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) && sheet.cell(r, c).is_empty() {
                    sheet.set(r, c, value.clone());
                }
            }
        }
    }
    skipped
}

/// Reads the visible sheets of an OpenDocument spreadsheet.
pub(crate) fn read_ods(input: &Input, bytes: &[u8]) -> Sheets {
    let mut out = Sheets {
        sheets: Vec::new(),
        diags: Vec::new(),
        notes: Vec::new(),
    };
    if let Err(d) = check_zip(input, bytes) {
        out.diags.push(d);
        return out;
    }
    let mut book: Ods<_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            out.diags.push(unreadable(input, e));
            return out;
        }
    };
    for meta in book.sheets_metadata().to_vec() {
        if meta.visible != SheetVisible::Visible {
            out.notes.push(format!(
                "{}: skipped the hidden sheet \"{}\"",
                input.display, meta.name
            ));
            continue;
        }
        let name: Arc<str> = meta.name.as_str().into();
        let range = match book.worksheet_range(&meta.name) {
            Ok(r) => r,
            Err(e) => {
                out.diags.push(
                    Place {
                        file: input.display.clone(),
                        sheet: Some(name.clone()),
                        line: 1,
                        column: 1,
                        grid: true,
                    }
                    .error(format!("cannot read this sheet: {e}")),
                );
                continue;
            }
        };
        let mut sheet = Sheet {
            name: Some(name),
            cells: Vec::new(),
            file: input.display.clone(),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, value) in range.used_cells() {
            let (r, c) = (r + r0 as usize, c + c0 as usize);
            if !within_limits(r, c, || sheet.place(r, c), &mut out.diags) {
                break;
            }
            let text = data_text(value);
            if text.is_empty() || !bounded(&text, || sheet.place(r, c), &mut out.diags) {
                continue;
            }
            sheet.set(r, c, normalize(&text));
        }
        out.sheets.push(sheet);
    }
    out
}

fn unreadable(input: &Input, e: impl std::fmt::Display) -> Diagnostic {
    Place::text(&input.display, 1, 1)
        .error(format!(
            "cannot read this {} workbook: {e}",
            input.format_name()
        ))
        .with_help(
            "open it in a spreadsheet application and save it again, or export the sheet as CSV",
        )
}

/// A number as a spreadsheet shows it: `3`, not `3.0`.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn data_ref_text(d: &DataRef) -> String {
    match d {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn data_text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => number_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Reads a whole input file, refusing one over the size rungs reads any source at.
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use crate::diagnostics::io_error_at as at;
    let meta = std::fs::metadata(path).map_err(at("read", path))?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "{} is not a file",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(at("open", path))?
        .take(super::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(at("read", path))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> Input {
        Input::for_tests("x.csv")
    }

    #[test]
    fn csv_cells_are_trimmed_with_line_ends_made_newlines() {
        let s = read_csv(&input(), b"\xef\xbb\xbfa ,\"b\r\nc\"\n'=1,'x\n");
        assert!(s.diags.is_empty());
        let sh = &s.sheets[0];
        assert_eq!(sh.cell(0, 0), "a");
        assert_eq!(sh.cell(0, 1), "b\nc");
        assert_eq!(sh.cell(1, 0), "=1");
        assert_eq!(sh.cell(1, 1), "'x");
    }

    #[test]
    fn semicolons_are_sniffed() {
        let s = read_csv(&input(), b"a;b;\"c,d\"\n1;2;3\n");
        assert_eq!(s.sheets[0].cell(0, 2), "c,d");
        assert_eq!(s.notes.len(), 1);
    }

    #[test]
    fn non_utf8_cells_are_errors_at_the_cell() {
        let s = read_csv(&input(), b"a,b\nc,d\xff\n");
        assert_eq!(s.diags.len(), 1);
        assert_eq!((s.diags[0].line, s.diags[0].column), (2, 2));
        assert!(
            s.diags[0].message.starts_with("cell B2"),
            "{}",
            s.diags[0].message
        );
    }

    #[test]
    fn huge_cells_are_errors() {
        let mut bytes = b"a,".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_CELL_BYTES + 1));
        let s = read_csv(&input(), &bytes);
        assert_eq!(s.diags.len(), 1);
        assert!(s.diags[0].message.contains("bytes"));
    }

    #[test]
    fn merged_regions_fill_their_cells() {
        let mut sh = Sheet {
            name: None,
            cells: vec![vec![(0, "a".into())], vec![]],
            file: "x".into(),
        };
        fill_merged(
            &mut sh,
            &[calamine::Dimensions {
                start: (0, 0),
                end: (1, 1),
            }],
        );
        assert_eq!(sh.cell(1, 1), "a");
        assert_eq!(sh.cell(0, 1), "a");
    }
}
