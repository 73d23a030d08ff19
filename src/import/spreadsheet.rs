//! Spreadsheet shapes into the neutral table. A sheet's header row is found by its
//! column names (case, spaces and punctuation ignored; synonyms and `--column` flags
//! accepted), and says the shape:
//!
//! - *long*: one row per behaviour, with a `level` and a `behaviour` column (rungs' own
//!   `framework.csv` is one);
//! - *matrix*: a `competency` column and one column per level, a cell holding that level's
//!   behaviours as bullets or lines.
//!
//! A blank cell in a column that places a row (track, band, level, area, competency)
//! means "the same as above", which is also how merged cells read.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::sheet::Sheet;
use super::table::{LevelIn, Place, Row, Table, TrackIn, column_letters};
use super::text;
use super::{Field, ImportOptions, Shape, SheetsAre};
use crate::diagnostics::Diagnostic;

/// The rows a header is looked for in.
const HEADER_SEARCH_ROWS: usize = 30;

impl Field {
    /// The header names a column of this field is recognised by, normalised (lowercase
    /// letters and digits only).
    fn synonyms(self, shape: Shape) -> &'static [&'static str] {
        match self {
            Field::Family => &["family", "jobfamily", "function"],
            Field::Track => &[
                "track",
                "tracks",
                "ladder",
                "careertrack",
                "careerpath",
                "path",
                "role",
                "discipline",
            ],
            Field::Band => &["band", "bands", "grade", "tier", "payband", "seniority"],
            Field::Level => &[
                "level",
                "levels",
                "levelname",
                "leveltitle",
                "title",
                "jobtitle",
                "position",
                "rung",
            ],
            Field::Area => &[
                "area",
                "areas",
                "category",
                "pillar",
                "group",
                "theme",
                "domain",
                "competencyarea",
                "competencygroup",
                "competencycategory",
                "focusarea",
            ],
            Field::Competency => &[
                "competency",
                "competencies",
                "competence",
                "skill",
                "skills",
                "criterion",
                "capability",
                "subcompetency",
                "trait",
                "dimension",
                "axis",
            ],
            Field::Behaviour => match shape {
                Shape::Long => &[
                    "behaviour",
                    "behaviours",
                    "behavior",
                    "behaviors",
                    "expectation",
                    "expectations",
                    "description",
                    "descriptor",
                    "criteria",
                    "indicator",
                    "indicators",
                    "statement",
                    "requirement",
                    "text",
                ],
                Shape::Matrix => &[],
            },
            Field::Examples => &["example", "examples"],
            Field::Proficiency => &["proficiency", "step", "scalestep", "proficiencylevel"],
            Field::LevelId => &["levelid"],
            Field::CompetencyId => &["competencyid"],
            Field::Anchor => &["anchor"],
            Field::Origin => &["origin"],
            Field::Summary => match shape {
                Shape::Matrix => &[
                    "summary",
                    "description",
                    "definition",
                    "about",
                    "whatitmeans",
                    "purpose",
                ],
                Shape::Long => &[],
            },
        }
    }
}

/// Lowercase letters and digits only: `Competency Area` → `competencyarea`.
fn normal(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Columns that place a row; blank means "as above".
const LONG_LABELS: &[Field] = &[
    Field::Family,
    Field::Track,
    Field::Band,
    Field::Level,
    Field::LevelId,
    Field::Area,
    Field::Competency,
    Field::CompetencyId,
];
const MATRIX_LABELS: &[Field] = &[Field::Family, Field::Track, Field::Area, Field::Competency];

/// A sheet's header row and what each column holds.
#[derive(Debug)]
struct Header {
    row: usize,
    shape: Shape,
    columns: BTreeMap<Field, usize>,
    /// A matrix's level columns, in order: column, title as written.
    levels: Vec<(usize, String)>,
    /// Columns with a header the importer does not use.
    ignored: Vec<(usize, String)>,
    /// The column's field came from a guess (an unnamed first column of a matrix).
    guessed_competency: bool,
}

/// Which field a header cell names: a `--column` flag first, then the synonyms.
fn classify(text: &str, col: usize, shape: Shape, options: &ImportOptions) -> Option<Field> {
    let n = normal(text);
    if n.is_empty() {
        return None;
    }
    for (field, name) in &options.columns {
        if normal(name) == n || name.eq_ignore_ascii_case(&column_letters(col as u32 + 1)) {
            return Some(*field);
        }
    }
    Field::ALL
        .iter()
        .copied()
        .find(|f| f.synonyms(shape).contains(&n.as_str()))
}

/// The header of `sheet`: the first of its first rows that names the columns a shape
/// needs.
fn find_header(sheet: &Sheet, options: &ImportOptions) -> Option<Header> {
    let shapes: &[Shape] = match options.shape {
        Some(Shape::Long) => &[Shape::Long],
        Some(Shape::Matrix) => &[Shape::Matrix],
        None => &[Shape::Long, Shape::Matrix],
    };
    for row in 0..sheet.rows().min(HEADER_SEARCH_ROWS) {
        let width = sheet.row_width(row);
        if (0..width).all(|c| sheet.cell(row, c).is_empty()) {
            continue;
        }
        for &shape in shapes {
            let mut columns = BTreeMap::new();
            let mut rest = Vec::new();
            for col in 0..width {
                let text = sheet.cell(row, col);
                if text.is_empty() {
                    continue;
                }
                match classify(text, col, shape, options) {
                    Some(f) if !columns.contains_key(&f) => {
                        columns.insert(f, col);
                    }
                    _ => rest.push((col, text.to_string())),
                }
            }
            // A flag naming a column by letter applies even when its header is blank.
            for (field, name) in &options.columns {
                if let Some(col) = letter_column(name)
                    && sheet.cell(row, col).is_empty()
                {
                    columns.entry(*field).or_insert(col);
                }
            }
            match shape {
                Shape::Long => {
                    if columns.contains_key(&Field::Behaviour)
                        && columns.contains_key(&Field::Level)
                    {
                        return Some(Header {
                            row,
                            shape,
                            columns,
                            levels: Vec::new(),
                            ignored: rest,
                            guessed_competency: false,
                        });
                    }
                }
                Shape::Matrix => {
                    let mut guessed = false;
                    if !columns.contains_key(&Field::Competency)
                        && sheet.cell(row, 0).is_empty()
                        && rest.len() >= 2
                        && (row + 1..sheet.rows()).any(|r| !sheet.cell(r, 0).is_empty())
                    {
                        // An unnamed first column beside named columns: the row labels.
                        columns.insert(Field::Competency, 0);
                        guessed = true;
                    }
                    let Some(&comp) = columns.get(&Field::Competency) else {
                        continue;
                    };
                    // Columns after the competencies are levels, but for notes and the like.
                    type Columns = Vec<(usize, String)>;
                    let (levels, ignored): (Columns, Columns) = rest
                        .into_iter()
                        .partition(|(c, t)| *c > comp && !not_a_level(t));
                    if levels.is_empty() {
                        continue;
                    }
                    return Some(Header {
                        row,
                        shape,
                        columns,
                        levels,
                        ignored,
                        guessed_competency: guessed,
                    });
                }
            }
        }
    }
    None
}

/// Headers beside a matrix's level columns that hold no level: notes, links, owners.
fn not_a_level(header: &str) -> bool {
    matches!(
        normal(header).as_str(),
        "notes"
            | "note"
            | "comments"
            | "comment"
            | "links"
            | "link"
            | "resources"
            | "resource"
            | "references"
            | "reference"
            | "owner"
            | "owners"
            | "lastupdated"
            | "updated"
            | "status"
            | "examples"
            | "example"
            | "id"
            | "source"
    )
}

/// `C` → column 2 (0-based), for `--column competency=A`.
fn letter_column(name: &str) -> Option<usize> {
    if name.is_empty() || name.len() > 3 || !name.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut n = 0usize;
    for c in name.bytes() {
        n = n * 26 + (c - b'A' + 1) as usize;
    }
    Some(n - 1)
}

/// Builds the table as sheets are read: tracks by title, levels by track and id or title.
struct Builder {
    table: Table,
    tracks: HashMap<String, usize>,
    levels: HashMap<(usize, String), usize>,
}

impl Builder {
    fn track(&mut self, title: &str, family: Option<&str>, place: &Place) -> usize {
        if let Some(&t) = self.tracks.get(title) {
            if self.table.tracks[t].family.is_none() {
                self.table.tracks[t].family = family.map(str::to_string);
            }
            return t;
        }
        self.table.tracks.push(TrackIn {
            title: title.to_string(),
            family: family.map(str::to_string),
            summary: String::new(),
            kind: None,
            levels: Vec::new(),
            place: place.clone(),
        });
        let t = self.table.tracks.len() - 1;
        self.tracks.insert(title.to_string(), t);
        t
    }

    /// The level of track `t` with this id (or, without one, this title).
    fn level(
        &mut self,
        t: usize,
        title: &str,
        id: Option<(&str, Place)>,
        band: Option<(&str, Place)>,
        number: Option<u32>,
        place: &Place,
    ) -> usize {
        let key = match &id {
            Some((id, _)) => format!("id:{id}"),
            None => format!("title:{title}"),
        };
        if let Some(&l) = self.levels.get(&(t, key.clone())) {
            return l;
        }
        let levels = &mut self.table.tracks[t].levels;
        levels.push(LevelIn {
            title: title.to_string(),
            id: id.map(|(s, p)| (s.to_string(), p)),
            band: band.map(|(s, p)| (s.to_string(), p)),
            number,
            summary: String::new(),
            attributes: Vec::new(),
            body: String::new(),
            anchor: None,
            place: place.clone(),
        });
        let l = levels.len() - 1;
        self.levels.insert((t, key), l);
        l
    }
}

/// Sheet names spreadsheet applications give by default: not worth a track's title.
fn default_sheet_name(name: &str) -> bool {
    let n = normal(name);
    let base = n.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(
        base,
        "sheet"
            | "feuil"
            | "feuille"
            | "tabelle"
            | "hoja"
            | "foglio"
            | "planilha"
            | "blad"
            | "ark"
            | "data"
            | "export"
            | "framework"
    )
}

/// Reads every sheet with a header into the table.
pub(crate) fn read(
    sheets: &[Sheet],
    options: &ImportOptions,
    file_title: &str,
    diags: &mut Vec<Diagnostic>,
) -> Table {
    let mut b = Builder {
        table: Table::default(),
        tracks: HashMap::new(),
        levels: HashMap::new(),
    };
    let mut found: Vec<(&Sheet, Header)> = Vec::new();
    for sheet in sheets {
        match find_header(sheet, options) {
            Some(h) => found.push((sheet, h)),
            None if sheets.len() > 1 => b.table.notes.push(format!(
                "skipped sheet \"{}\": none of its first {HEADER_SEARCH_ROWS} rows is a header the importer knows",
                sheet.name.as_deref().unwrap_or_default()
            )),
            None => {}
        }
    }
    if found.is_empty() {
        let first = sheets.first();
        let place = first.map_or_else(
            || Place::text(&Arc::from(file_title), 1, 1),
            |s| s.place(0, 0),
        );
        let place = Place {
            grid: false,
            ..place
        };
        diags.push(
            place
                .error(match options.shape {
                    Some(Shape::Long) => format!("no header row: none of the first {HEADER_SEARCH_ROWS} rows names a `level` and a `behaviour` column"),
                    Some(Shape::Matrix) => format!("no header row: none of the first {HEADER_SEARCH_ROWS} rows names a `competency` column followed by level columns"),
                    None => format!("no header row: none of the first {HEADER_SEARCH_ROWS} rows names the columns of a framework"),
                })
                .with_help(HEADER_HELP),
        );
        return b.table;
    }
    check_flags(&found, options, diags);
    // Several matrix sheets with the same level columns are areas; otherwise tracks.
    let matrices: Vec<&(&Sheet, Header)> = found
        .iter()
        .filter(|(_, h)| h.shape == Shape::Matrix)
        .collect();
    let sheets_are = options.sheets.unwrap_or_else(|| {
        let titles = |h: &Header| h.levels.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>();
        if matrices.len() > 1 && matrices.iter().all(|(_, h)| titles(h) == titles(&matrices[0].1)) {
            b.table.notes.push(format!(
                "read the sheets {} as areas of one ladder, since they have the same level columns (`--sheets tracks` reads them as tracks)",
                quoted_names(matrices.iter().map(|(s, _)| *s))
            ));
            SheetsAre::Areas
        } else {
            SheetsAre::Tracks
        }
    });
    let named_sheets = found.len() > 1;
    for (sheet, header) in &found {
        let sheet_name = sheet.name.as_deref().unwrap_or_default();
        // A title row above the header names the framework.
        if b.table.title.is_none() {
            b.table.title = (0..header.row).find_map(|r| {
                let cells: Vec<&str> = sheet.row_cells(r).map(|(_, t)| t).collect();
                (cells.len() == 1 && cells[0].chars().count() <= 120).then(|| cells[0].to_string())
            });
        }
        let default_track = if named_sheets && sheets_are == SheetsAre::Tracks
            || !named_sheets && !sheet_name.is_empty() && !default_sheet_name(sheet_name)
        {
            sheet_name.to_string()
        } else {
            file_title.to_string()
        };
        if !header.columns.contains_key(&Field::Track) {
            b.table.notes.push(format!(
                "{}{} names no track: its rows are on track \"{default_track}\", named after the {}",
                sheet.file,
                sheet.name.as_ref().map(|s| format!(", sheet \"{s}\",")).unwrap_or_default(),
                if default_track == file_title { "file" } else { "sheet" }
            ));
        }
        let sheet_area =
            (named_sheets && sheets_are == SheetsAre::Areas && header.shape == Shape::Matrix)
                .then(|| sheet_name.to_string());
        for (col, name) in &header.ignored {
            b.table.notes.push(format!(
                "ignored column {} \"{}\"{}: not a column the importer knows (map it with --column FIELD=\"{}\")",
                column_letters(*col as u32 + 1),
                name,
                sheet.name.as_ref().map(|s| format!(" of sheet \"{s}\"")).unwrap_or_default(),
                name
            ));
        }
        if header.guessed_competency {
            b.table.notes.push(format!(
                "read column A{} as the competencies: its header is empty and the columns beside it name levels",
                sheet.name.as_ref().map(|s| format!(" of sheet \"{s}\"")).unwrap_or_default()
            ));
        }
        match header.shape {
            Shape::Long => read_long(sheet, header, &default_track, &mut b, diags),
            Shape::Matrix => read_matrix(
                sheet,
                header,
                &default_track,
                sheet_area.as_deref(),
                &mut b,
                diags,
            ),
        }
        b.table.notes.push(format!(
            "read {}{} as a {} table (header in row {})",
            sheet.file,
            sheet
                .name
                .as_ref()
                .map(|s| format!(", sheet \"{s}\","))
                .unwrap_or_default(),
            match header.shape {
                Shape::Long => "long (one row per behaviour)",
                Shape::Matrix => "matrix (competencies × levels)",
            },
            header.row + 1
        ));
    }
    b.table
}

const HEADER_HELP: &str = "a long table needs a column for the level and one for the behaviour; a matrix needs a column of competencies followed by one column per level. Headers are matched ignoring case and spaces (`Level`, `Behaviour`, `Expectation`, `Competency`, `Skill`, `Area`, `Track`, `Band` …); name others with `--column behaviour=\"Your header\"`";

fn quoted_names<'a>(sheets: impl Iterator<Item = &'a Sheet>) -> String {
    sheets
        .map(|s| format!("\"{}\"", s.name.as_deref().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `--column` flag whose header no sheet has is an error: the user meant a column.
fn check_flags(found: &[(&Sheet, Header)], options: &ImportOptions, diags: &mut Vec<Diagnostic>) {
    for (field, name) in &options.columns {
        let named = |sheet: &Sheet, h: &Header| {
            h.columns.get(field).is_some_and(|&c| {
                normal(sheet.cell(h.row, c)) == normal(name) || letter_column(name) == Some(c)
            })
        };
        let used = found.iter().any(|(sheet, h)| named(sheet, h));
        if !used {
            let (sheet, header) = &found[0];
            let place = Place {
                grid: false,
                ..sheet.place(header.row, 0)
            };
            let headers: Vec<String> = sheet
                .row_cells(header.row)
                .map(|(_, c)| format!("\"{c}\""))
                .collect();
            diags.push(
                place
                    .error(format!(
                        "--column {}=\"{name}\": the header row (row {}) has no column \"{name}\"",
                        field.name(),
                        header.row + 1
                    ))
                    .with_help(format!("the headers are {}", headers.join(", "))),
            );
        }
    }
}

/// The text of `field`'s column in `row`, `""` without that column.
fn get<'s>(sheet: &'s Sheet, header: &Header, row: usize, field: Field) -> &'s str {
    header
        .columns
        .get(&field)
        .map_or("", |&c| sheet.cell(row, c))
}

/// Label values with blanks filled from above; an id column is not filled when its title
/// column changed (a new level without an id is not the level above).
fn fill_down(
    sheet: &Sheet,
    header: &Header,
    row: usize,
    labels: &[Field],
    above: &mut BTreeMap<Field, String>,
) -> BTreeMap<Field, String> {
    let mut now = BTreeMap::new();
    for &f in labels {
        let cell = get(sheet, header, row, f);
        now.insert(f, cell.to_string());
    }
    for &f in labels {
        if !now[&f].is_empty() {
            continue;
        }
        let title_of = match f {
            Field::LevelId => Some(Field::Level),
            Field::CompetencyId => Some(Field::Competency),
            _ => None,
        };
        if let Some(t) = title_of
            && !now[&t].is_empty()
            && above.get(&t) != Some(&now[&t])
        {
            continue;
        }
        if let Some(v) = above.get(&f) {
            now.insert(f, v.clone());
        }
    }
    for (f, v) in &now {
        above.insert(*f, v.clone());
    }
    now
}

fn read_long(
    sheet: &Sheet,
    header: &Header,
    default_track: &str,
    b: &mut Builder,
    diags: &mut Vec<Diagnostic>,
) {
    let mut above = BTreeMap::new();
    let col = |f: Field| header.columns.get(&f).copied().unwrap_or(0);
    let mut split_cells = 0usize;
    // A list of behaviours by level alone (no competency column) is one competency, as
    // a Markdown ladder's bullets without competency headings are.
    let one_competency = !header.columns.contains_key(&Field::Competency);
    if one_competency {
        b.table.notes.push(format!(
            "{} has no competency column: its behaviours are one competency, \"Expectations\"",
            sheet
                .name
                .as_ref()
                .map_or("the table".to_string(), |s| format!("sheet \"{s}\""))
        ));
    }
    for row in header.row + 1..sheet.rows() {
        let used = header
            .columns
            .values()
            .any(|&c| !sheet.cell(row, c).is_empty());
        if !used {
            continue;
        }
        let mut labels = fill_down(sheet, header, row, LONG_LABELS, &mut above);
        if one_competency {
            labels.insert(Field::Competency, "Expectations".to_string());
        }
        let behaviour = get(sheet, header, row, Field::Behaviour);
        let examples = lines(get(sheet, header, row, Field::Examples));
        if behaviour.is_empty() {
            if examples.is_empty() {
                continue;
            }
            // More examples of the behaviour above.
            match b.table.rows.last_mut() {
                Some(last) if last.place.sheet == sheet.name && last.place.file == sheet.file => {
                    last.examples.extend(examples);
                }
                _ => {
                    diags.push(sheet.place(row, col(Field::Examples)).error(
                        "examples without a behaviour: no behaviour above them in this sheet",
                    ))
                }
            }
            continue;
        }
        let level = &labels[&Field::Level];
        let competency = &labels[&Field::Competency];
        let mut missing = false;
        for (f, what) in [(Field::Level, "level"), (Field::Competency, "competency")] {
            if labels[&f].is_empty() {
                if !header.columns.contains_key(&f) {
                    diags.push(
                        sheet
                            .place(header.row, 0)
                            .error(format!("the header row has no {what} column"))
                            .with_help(HEADER_HELP),
                    );
                    return;
                }
                diags.push(sheet.place(row, col(f)).error(format!(
                    "this behaviour has no {what}: the {what} cell of this row and of the rows above is empty"
                )));
                missing = true;
            }
        }
        if missing {
            continue;
        }
        let place = sheet.place(row, col(Field::Behaviour));
        let family = Some(labels[&Field::Family].as_str()).filter(|s| !s.is_empty());
        let track_title = match labels[&Field::Track].as_str() {
            "" => default_track,
            t => t,
        };
        let t = b.track(track_title, family, &sheet.place(row, col(Field::Track)));
        let level_id = Some(labels[&Field::LevelId].as_str())
            .filter(|s| !s.is_empty())
            .map(|s| (s, sheet.place(row, col(Field::LevelId))));
        let band = Some(labels[&Field::Band].as_str())
            .filter(|s| !s.is_empty())
            .map(|s| (s, sheet.place(row, col(Field::Band))));
        let number = text::level_number(level);
        let l = b.level(
            t,
            level,
            level_id,
            band,
            number,
            &sheet.place(row, col(Field::Level)),
        );
        let area = Some(labels[&Field::Area].clone()).filter(|s| !s.is_empty());
        let competency_id = Some(labels[&Field::CompetencyId].clone())
            .filter(|s| !s.is_empty())
            .map(|s| (s, sheet.place(row, col(Field::CompetencyId))));
        let proficiency = Some(get(sheet, header, row, Field::Proficiency))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let anchor = Some(get(sheet, header, row, Field::Anchor))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let origin = Some(get(sheet, header, row, Field::Origin))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        // A cell that is a bulleted list is several behaviours.
        let items = split_cell(behaviour);
        let items = if items.len() > 1 && bulleted(behaviour) {
            split_cells += 1;
            items
        } else {
            vec![Item {
                text: behaviour.to_string(),
                examples: Vec::new(),
            }]
        };
        let n = items.len();
        for (k, item) in items.into_iter().enumerate() {
            let mut ex = item.examples;
            if k + 1 == n {
                ex.extend(examples.iter().cloned());
            }
            b.table.rows.push(Row {
                track: t,
                level: l,
                area: area.clone(),
                competency: competency.clone(),
                competency_id: competency_id.clone(),
                competency_summary: None,
                text: item.text,
                examples: ex,
                proficiency: proficiency.clone(),
                anchor: anchor.clone(),
                origin: origin.clone(),
                place: place.clone(),
            });
        }
    }
    if split_cells > 0 {
        b.table.notes.push(format!(
            "{split_cells} behaviour cell(s){} hold a bulleted list: each bullet became a behaviour",
            sheet.name.as_ref().map(|s| format!(" of sheet \"{s}\"")).unwrap_or_default()
        ));
    }
}

/// What a matrix row labelled like this holds: the levels' summaries.
fn is_summary_label(label: &str) -> bool {
    matches!(
        normal(label).as_str(),
        "summary"
            | "levelsummary"
            | "rolesummary"
            | "description"
            | "leveldescription"
            | "roledescription"
            | "overview"
    )
}

fn read_matrix(
    sheet: &Sheet,
    header: &Header,
    default_track: &str,
    sheet_area: Option<&str>,
    b: &mut Builder,
    diags: &mut Vec<Diagnostic>,
) {
    let mut above = BTreeMap::new();
    let level_cols: Vec<usize> = header.levels.iter().map(|(c, _)| *c).collect();
    let label_cols: Vec<usize> = header.columns.values().copied().collect();
    let comp_col = header.columns[&Field::Competency];
    let cleaned: Vec<text::Cleaned> = header
        .levels
        .iter()
        .map(|(_, t)| text::clean_heading(t))
        .collect();
    for (k, c) in cleaned.iter().enumerate() {
        if c.changed {
            b.table.notes.push(format!(
                "level column \"{}\" read as level \"{}\"",
                header.levels[k].1, c.title
            ));
        }
    }
    // Every track a sheet's rows name gets all its level columns, in order.
    let ensure_levels = |b: &mut Builder, t: usize| -> Vec<usize> {
        header
            .levels
            .iter()
            .zip(&cleaned)
            .map(|((col, _), c)| {
                let number = c.number.or_else(|| text::level_number(&c.title));
                b.level(
                    t,
                    &c.title,
                    None,
                    None,
                    number,
                    &sheet.place(header.row, *col),
                )
            })
            .collect()
    };
    let mut unnamed_reported = std::collections::BTreeSet::new();
    let mut section: Option<String> = None;
    let mut dashes = 0usize;
    for row in header.row + 1..sheet.rows() {
        // Text in a column with no header cannot be placed.
        for (c, _) in sheet.row_cells(row) {
            if !level_cols.contains(&c)
                && !label_cols.contains(&c)
                && sheet.cell(header.row, c).is_empty()
                && unnamed_reported.insert(c)
            {
                diags.push(
                    sheet
                        .place(row, c)
                        .error("this cell is in a column without a header, so it belongs to no level")
                        .with_help(format!(
                            "give column {} a header in row {} (a level's title), or delete the column",
                            column_letters(c as u32 + 1),
                            header.row + 1
                        )),
                );
            }
        }
        let any_level_text = level_cols.iter().any(|&c| !sheet.cell(row, c).is_empty());
        // Without an area column, a row naming only a competency-column title heads the
        // rows below it: an area (`Technical Skills`, then its competencies).
        let label = sheet.cell(row, comp_col);
        if !any_level_text
            && !header.columns.contains_key(&Field::Area)
            && !label.is_empty()
            && get(sheet, header, row, Field::Summary).is_empty()
            && row + 1 < sheet.rows()
        {
            section = Some(label.to_string());
            b.table.notes.push(format!(
                "row {} (\"{label}\"{}) has no behaviours: read as the area of the competencies below it",
                row + 1,
                sheet.name.as_ref().map(|s| format!(", sheet \"{s}\"")).unwrap_or_default()
            ));
            above.remove(&Field::Competency);
            continue;
        }
        let labels = fill_down(sheet, header, row, MATRIX_LABELS, &mut above);
        if !any_level_text {
            continue;
        }
        let competency = labels[&Field::Competency].clone();
        if competency.is_empty() {
            let c = level_cols
                .iter()
                .copied()
                .find(|&c| !sheet.cell(row, c).is_empty())
                .unwrap_or(comp_col);
            diags.push(sheet.place(row, c).error(
                "this row has behaviours but no competency: its competency cell and those above are empty",
            ));
            continue;
        }
        let family = Some(labels[&Field::Family].as_str()).filter(|s| !s.is_empty());
        let track_title = match labels[&Field::Track].as_str() {
            "" => default_track,
            t => t,
        };
        let t = b.track(track_title, family, &sheet.place(row, comp_col));
        let levels = ensure_levels(b, t);
        let area = match labels[&Field::Area].as_str() {
            "" => section.clone().or_else(|| sheet_area.map(str::to_string)),
            a => Some(a.to_string()),
        };
        if area.is_none()
            && get(sheet, header, row, Field::Competency) == competency
            && is_summary_label(&competency)
        {
            for (k, &c) in level_cols.iter().enumerate() {
                let s = sheet.cell(row, c);
                if !s.is_empty() {
                    b.table.tracks[t].levels[levels[k]].summary = s.replace('\n', " ");
                }
            }
            b.table.notes.push(format!(
                "row {} (\"{}\") read as the levels' summaries",
                row + 1,
                competency
            ));
            continue;
        }
        let summary = Some(get(sheet, header, row, Field::Summary))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        for (k, &c) in level_cols.iter().enumerate() {
            let cell = sheet.cell(row, c);
            if cell.is_empty() {
                continue;
            }
            if is_placeholder(cell) {
                dashes += 1;
                continue;
            }
            for item in split_cell(cell) {
                b.table.rows.push(Row {
                    track: t,
                    level: levels[k],
                    area: area.clone(),
                    competency: competency.clone(),
                    competency_id: None,
                    competency_summary: summary.clone(),
                    text: item.text,
                    examples: item.examples,
                    proficiency: None,
                    anchor: None,
                    origin: None,
                    place: sheet.place(row, c),
                });
            }
        }
    }
    if dashes > 0 {
        b.table.notes.push(format!(
            "{dashes} cell(s) holding only a dash or \"n/a\" read as empty"
        ));
    }
}

/// A cell that says "nothing here": `-`, `—`, `n/a`, `none`.
fn is_placeholder(cell: &str) -> bool {
    let t = cell.trim();
    t.chars().all(|c| matches!(c, '-' | '–' | '—' | '.' | ' '))
        || matches!(normal(t).as_str(), "na" | "none" | "tbd" | "tbc")
}

/// One behaviour of a cell, with its sub-bullets as examples.
#[derive(Debug, PartialEq)]
struct Item {
    text: String,
    examples: Vec<String>,
}

/// A bullet marker at the start of a line: its indent and the text after it.
fn bullet(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    for m in [
        '-', '*', '•', '◦', '▪', '▫', '‣', '⁃', '–', '—', '·', '●', '○', '■', '□', '➢', '➤', '►',
        '✓', '✔', '+',
    ] {
        if let Some(rest) = t.strip_prefix(m)
            && (rest.starts_with([' ', '\t'])
                || m != '-' && m != '*' && m != '+' && !rest.is_empty())
        {
            return Some((indent, rest.trim_start()));
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((indent, r.trim_start()));
        }
    }
    None
}

/// Whether at least two lines of a cell are bullets.
fn bulleted(cell: &str) -> bool {
    cell.lines().filter(|l| bullet(l).is_some()).count() >= 2
}

/// The lines of a cell, bullets stripped, blank lines dropped (examples).
fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(|l| bullet(l).map_or(l.trim(), |(_, t)| t.trim()).to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A cell's behaviours. With bullets: each bullet is a behaviour, a line after one
/// continues it, a more indented bullet is an example of it; a line before the first
/// bullet is a behaviour of its own. Without bullets: each line is a behaviour.
fn split_cell(cell: &str) -> Vec<Item> {
    let has_bullets = cell.lines().any(|l| bullet(l).is_some());
    let mut items: Vec<Item> = Vec::new();
    let mut top_indent: Option<usize> = None;
    let mut in_bullet = false;
    for line in cell.lines() {
        if line.trim().is_empty() {
            in_bullet = false;
            continue;
        }
        if !has_bullets {
            items.push(Item {
                text: line.trim().to_string(),
                examples: Vec::new(),
            });
            continue;
        }
        match bullet(line) {
            Some((indent, text)) => {
                let top = *top_indent.get_or_insert(indent);
                if indent > top && !items.is_empty() {
                    if let Some(last) = items.last_mut() {
                        last.examples.push(text.to_string());
                    }
                } else {
                    items.push(Item {
                        text: text.to_string(),
                        examples: Vec::new(),
                    });
                }
                in_bullet = true;
            }
            None if in_bullet => {
                if let Some(last) = items.last_mut() {
                    match last.examples.last_mut() {
                        Some(ex)
                            if line.len() - line.trim_start().len()
                                > top_indent.unwrap_or(0) + 2 =>
                        {
                            ex.push(' ');
                            ex.push_str(line.trim());
                        }
                        _ => {
                            last.text.push('\n');
                            last.text.push_str(line.trim());
                        }
                    }
                }
            }
            None => items.push(Item {
                text: line.trim().to_string(),
                examples: Vec::new(),
            }),
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(t: &str) -> Item {
        Item {
            text: t.into(),
            examples: vec![],
        }
    }

    #[test]
    fn cells_split_into_bullets_lines_and_examples() {
        assert_eq!(split_cell("One thing"), vec![item("One thing")]);
        assert_eq!(
            split_cell("a\nb\n\nc"),
            vec![item("a"), item("b"), item("c")]
        );
        assert_eq!(
            split_cell("• Writes code\n  that is tested\n• Reviews\n    ◦ e.g. a PR"),
            vec![
                item("Writes code\nthat is tested"),
                Item {
                    text: "Reviews".into(),
                    examples: vec!["e.g. a PR".into()]
                }
            ]
        );
        assert_eq!(
            split_cell("Core:\n- a\n- b"),
            vec![item("Core:"), item("a"), item("b")]
        );
        assert_eq!(split_cell("1. a\n2) b"), vec![item("a"), item("b")]);
        assert_eq!(
            split_cell("-1 is not a bullet"),
            vec![item("-1 is not a bullet")]
        );
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("-"));
        assert!(is_placeholder("N/A"));
        assert!(is_placeholder("—"));
        assert!(!is_placeholder("- a"));
    }

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: Some("Ladder".into()),
            cells: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(i, c)| (i, c.to_string()))
                        .collect()
                })
                .collect(),
            file: "x.xlsx".into(),
        }
    }

    fn options() -> ImportOptions {
        ImportOptions {
            format: super::super::Format::Xlsx,
            inputs: Vec::new(),
            out: Default::default(),
            shape: None,
            sheets: None,
            columns: Vec::new(),
        }
    }

    #[test]
    fn a_matrix_with_section_rows_a_summary_row_and_a_notes_column() {
        let s = sheet(&[
            &["Competency", "L1", "L2", "Notes"],
            &["Summary", "Learns", "Delivers", ""],
            &["Technical", "", "", ""],
            &["Code", "• a\n• b", "c", "ignore me"],
            &["", "d", "", ""],
            &["People", "", "", ""],
            &["Mentoring", "-", "e", ""],
        ]);
        let mut diags = Vec::new();
        let t = read(&[s], &options(), "x", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let levels = &t.tracks[0].levels;
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[1].summary, "Delivers");
        let r: Vec<(Option<&str>, &str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.area.as_deref(), r.competency.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            r,
            [
                (Some("Technical"), "Code", "a"),
                (Some("Technical"), "Code", "b"),
                (Some("Technical"), "Code", "c"),
                (Some("Technical"), "Code", "d"),
                (Some("People"), "Mentoring", "e"),
            ]
        );
        assert!(
            t.notes
                .iter()
                .any(|n| n.contains("ignored column D \"Notes\"")),
            "{:?}",
            t.notes
        );
    }

    #[test]
    fn a_long_table_fills_blank_cells_from_above() {
        let s = sheet(&[
            &["Level", "Skill", "Expectation", "Examples"],
            &["L1", "Code", "a", ""],
            &["", "", "b", "x\ny"],
            &["", "", "", "z"],
            &["L2", "", "c", ""],
        ]);
        let mut diags = Vec::new();
        let t = read(&[s], &options(), "x", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let r: Vec<(usize, &str, &str, usize)> = t
            .rows
            .iter()
            .map(|r| {
                (
                    r.level,
                    r.competency.as_str(),
                    r.text.as_str(),
                    r.examples.len(),
                )
            })
            .collect();
        assert_eq!(
            r,
            [
                (0, "Code", "a", 0),
                (0, "Code", "b", 3),
                (1, "Code", "c", 0)
            ]
        );
    }

    #[test]
    fn headers_are_normalised() {
        assert_eq!(normal("Competency Area"), "competencyarea");
        assert_eq!(normal(" LEVEL_ID "), "levelid");
        assert_eq!(letter_column("A"), Some(0));
        assert_eq!(letter_column("AA"), Some(26));
        assert_eq!(letter_column("Level"), None);
    }
}
