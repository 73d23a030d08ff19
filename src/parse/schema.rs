//! Reading typed values out of a YAML [`Node`] tree while collecting every problem.
//!
//! serde's derive stops at the first unknown key or wrong type; a contributor fixing a
//! pull request wants all of them at once. So the model types are read by hand through
//! these helpers, which record a [`Diagnostic`] and carry on.

use crate::diagnostics::{Diagnostic, Pos};
use crate::parse::spec::Spec;

/// A parsed data tree (from YAML or TOML) with the position of every node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A number, with its text as written (`0x1F`, `1.50`), which is what a text field
    /// that holds one reads.
    Int(i64, String),
    Float(f64, String),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order; duplicate keys are rejected by the parser.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value is named in messages such as "expected a list, found a number".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(..) | Value::Float(..) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    pub(crate) fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }
}

/// A number's text as written, or as printed when that is not known.
fn written(raw: &str, value: &impl ToString) -> String {
    if raw.is_empty() {
        value.to_string()
    } else {
        raw.to_string()
    }
}

/// The file being read and the problems found so far.
pub(crate) struct Reader<'d> {
    pub file: String,
    pub diags: &'d mut Vec<Diagnostic>,
}

impl<'d> Reader<'d> {
    pub(crate) fn new(file: impl Into<String>, diags: &'d mut Vec<Diagnostic>) -> Self {
        Reader {
            file: file.into(),
            diags,
        }
    }

    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::error(self.file.clone(), pos, message));
        self.diags.last_mut().expect("just pushed")
    }

    pub(crate) fn warning(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::warning(self.file.clone(), pos, message));
        self.diags.last_mut().expect("just pushed")
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, what: &str) {
        self.error(
            node.pos,
            format!("`{what}` must be {expected}, found {}", node.value.kind()),
        );
    }

    /// Opens a mapping for reading key by key; `spec` lists the keys it may have (see
    /// [`crate::parse::spec`]).
    pub(crate) fn fields<'n>(&mut self, node: &'n Node, spec: &'static Spec) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                pos: node.pos,
                spec,
                entries,
                used: vec![false; entries.len()],
                #[cfg(debug_assertions)]
                asked: 0,
            }),
            _ => {
                self.wrong_type(node, "a mapping of keys to values", spec.what);
                None
            }
        }
    }

    /// A scalar as text. Numbers are accepted and written as text (`order: 2`, `title: 2024`).
    pub(crate) fn string(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        match &node.value {
            Value::Str(s) => {
                if let Some((_, c)) = crate::parse::frontmatter::forbidden_controls(s).next() {
                    self.error(
                        node.pos,
                        format!(
                            "`{what}` contains the control character {}",
                            crate::parse::frontmatter::control_name(c)
                        ),
                    )
                    .help = Some("remove the escape (such as `\\0`, `\\b` or `\\e`) that writes it: control characters are not allowed in web pages".into());
                    return None;
                }
                Some(Spanned::new(s.clone(), node.pos))
            }
            Value::Int(i, raw) => Some(Spanned::new(written(raw, i), node.pos)),
            Value::Float(f, raw) => Some(Spanned::new(written(raw, f), node.pos)),
            _ => {
                self.wrong_type(node, "a string", what);
                None
            }
        }
    }

    /// A non-empty string.
    pub(crate) fn text(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let s = self.string(node, what)?;
        if s.value.trim().is_empty() {
            self.error(node.pos, format!("`{what}` must not be empty"));
            return None;
        }
        Some(s)
    }

    /// A title: non-empty text of at most [`MAX_TITLE_CHARS`] characters, because titles
    /// are shown in navigation, tables, charts and on every page that links to the item.
    pub(crate) fn title(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let s = self.text(node, what)?;
        let chars = s.value.chars().count();
        if chars > MAX_TITLE_CHARS {
            self.error(
                node.pos,
                format!(
                    "`{what}` is {chars} characters long; a title is at most {MAX_TITLE_CHARS}"
                ),
            )
            .help =
                Some("shorten it, and move the detail into `summary` or the Markdown body".into());
            return None;
        }
        Some(s)
    }

    pub(crate) fn integer(&mut self, node: &Node, what: &str) -> Option<i64> {
        match &node.value {
            Value::Int(i, _) => Some(*i),
            _ => {
                self.wrong_type(node, "a whole number", what);
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(node, "true or false", what);
                None
            }
        }
    }

    /// A list; a missing list and `null` both read as empty.
    pub(crate) fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, "a list", what);
                &[]
            }
        }
    }

    /// A mapping's entries; `null` reads as empty.
    pub(crate) fn entries<'n>(&mut self, node: &'n Node, what: &str) -> &'n [(Node, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, "a mapping", what);
                &[]
            }
        }
    }

    /// An id: a slug of lowercase letters, digits and hyphens.
    pub(crate) fn id(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let s = self.string(node, what)?;
        if let Err(why) = check_slug(&s.value) {
            self.error(
                node.pos,
                format!("`{what}` `{}` is not a valid id: {why}", s.value),
            )
            .help = Some(SLUG_HELP.into());
            return None;
        }
        Some(s)
    }

    /// A list of strings, or a single string treated as a one-item list.
    pub(crate) fn string_list(&mut self, node: &Node, what: &str) -> Vec<Spanned<String>> {
        if let Value::Str(_) = node.value {
            return self.string(node, what).into_iter().collect();
        }
        let items = self.list(node, what);
        items.iter().filter_map(|n| self.string(n, what)).collect()
    }
}

/// The longest title rungs accepts.
pub(crate) const MAX_TITLE_CHARS: usize = 200;

pub(crate) const SLUG_HELP: &str = "ids are lowercase letters, digits and hyphens, starting with a letter or digit, e.g. `senior-engineer`";

/// The id rule: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
pub(crate) fn check_slug(s: &str) -> Result<(), &'static str> {
    let mut chars = s.chars();
    match chars.next() {
        None => return Err("it is empty"),
        Some(c) if !(c.is_ascii_lowercase() || c.is_ascii_digit()) => {
            return Err("it must start with a lowercase letter or a digit");
        }
        _ => {}
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err("it may only contain lowercase letters, digits and hyphens");
    }
    if s.len() > 64 {
        return Err("it is longer than 64 characters");
    }
    Ok(())
}

/// A mapping being read key by key; [`Fields::finish`] reports the keys nobody asked for.
///
/// In debug builds it also holds the parser to its [`Spec`]: asking for a key the spec
/// does not list panics, and so does finishing without having asked for every key it
/// lists. Every test run is a debug build, so a key added to a parser but not to its
/// table (or the other way round) fails the tests that read such a file.
pub(crate) struct Fields<'n> {
    pub pos: Pos,
    spec: &'static Spec,
    entries: &'n [(Node, Node)],
    used: Vec<bool>,
    /// Bit `i`: the parser asked for the spec's `i`-th key.
    #[cfg(debug_assertions)]
    asked: u64,
}

impl<'n> Fields<'n> {
    /// An optional field.
    pub(crate) fn get(&mut self, key: &str) -> Option<&'n Node> {
        self.lookup(key, false)
    }

    fn lookup(&mut self, key: &str, required: bool) -> Option<&'n Node> {
        // Read only by the debug-build check below.
        let _ = required;
        #[cfg(debug_assertions)]
        match self.spec.field(key) {
            Some((i, f)) => {
                assert_eq!(
                    f.required,
                    required,
                    "the parser of {} reads `{key}` as {}, but its table in src/parse/spec.rs (`{}`) says otherwise",
                    self.spec.context,
                    if required { "required" } else { "optional" },
                    self.spec.name
                );
                self.asked |= 1 << i;
            }
            None => panic!(
                "the parser of {} reads `{key}`, which its table in src/parse/spec.rs (`{}`) does not list",
                self.spec.context, self.spec.name
            ),
        }
        let i = self
            .entries
            .iter()
            .position(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))?;
        self.used[i] = true;
        #[cfg(test)]
        if let Some((_, f)) = self.spec.field(key) {
            crate::parse::spec::coverage::record(self.spec.name, f.key);
        }
        Some(&self.entries[i].1)
    }

    /// A field that must be there.
    pub(crate) fn require(&mut self, r: &mut Reader, key: &str) -> Option<&'n Node> {
        let node = self.lookup(key, true);
        if node.is_none() {
            r.error(
                self.pos,
                format!("{} is missing the required key `{key}`", self.spec.context),
            );
        }
        node
    }

    /// Reports every key its spec does not list, with a suggestion for near misses.
    pub(crate) fn finish(self, r: &mut Reader) {
        #[cfg(debug_assertions)]
        {
            let never: Vec<&str> = (self.spec.keys().enumerate())
                .filter(|(i, _)| self.asked & (1 << i) == 0)
                .map(|(_, k)| k)
                .collect();
            assert!(
                never.is_empty(),
                "the parser of {} never reads {never:?}, which its table in src/parse/spec.rs (`{}`) lists",
                self.spec.context,
                self.spec.name
            );
        }
        let context = self.spec.context;
        let mut known: Vec<&str> = Vec::new();
        for ((key, _), used) in self.entries.iter().zip(self.used) {
            if used {
                continue;
            }
            if known.is_empty() {
                known = self.spec.keys().collect();
            }
            let name = match &key.value {
                Value::Str(s) => s.clone(),
                other => format!("{other:?}"),
            };
            let help = match suggest(&name, known.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? {context} accepts: {}",
                    known.join(", ")
                ),
                None => format!("{context} accepts: {}", known.join(", ")),
            };
            r.error(key.pos, format!("unknown key `{name}` in {context}"))
                .help = Some(help);
        }
    }
}

/// The candidate `word` was probably meant to be: the only one it begins (`lang` for
/// `language`), else the only closest one by edit distance, if close enough to be a
/// typo. A tie suggests nothing (`b9` is as near to `b1` as to `b3`): the caller lists
/// the candidates instead.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if word.chars().count() >= 3 {
        let mut starting = candidates
            .iter()
            .filter(|c| c.starts_with(word) && **c != word);
        if let (Some(only), None) = (starting.next(), starting.next()) {
            return Some(only);
        }
    }
    let near: Vec<(usize, &'a str)> = candidates
        .iter()
        .map(|&c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .collect();
    let best = near.iter().map(|(d, _)| *d).min()?;
    let mut closest = near.iter().filter(|(d, _)| *d == best);
    match (closest.next(), closest.next()) {
        (Some((_, only)), None) => Some(only),
        _ => None,
    }
}

/// Edit distance counting a swap of two neighbours as one edit (`bnad` → `band`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    #[test]
    fn slugs_accept_lowercase_digits_and_hyphens() {
        assert!(check_slug("senior-engineer-2").is_ok());
        assert!(check_slug("3d").is_ok());
    }

    #[test]
    fn slugs_refuse_escapes_and_capitals() {
        for bad in ["", "-lead", "Senior", "a_b", "../etc", "a/b", "a.b", "é"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    use crate::parse::spec::PAGE;
    #[cfg(debug_assertions)]
    use crate::parse::spec::Spec;

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let node = yaml::parse("title: x\nsumary: y\n", 2).unwrap();
        let mut diags = Vec::new();
        let mut r = Reader::new("l.md", &mut diags);
        let mut f = r.fields(&node, &PAGE).unwrap();
        f.require(&mut r, "title");
        f.get("summary");
        f.get("order");
        f.finish(&mut r);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 1));
        assert!(
            diags[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `summary`")
        );
    }

    #[test]
    fn wrong_types_name_what_was_expected() {
        let node = yaml::parse("tracks: 3\n", 1).unwrap();
        let mut diags = Vec::new();
        let mut r = Reader::new("x", &mut diags);
        let mut f = r.fields(&node, &crate::parse::spec::LEVEL).unwrap();
        let t = f.get("tracks").unwrap();
        assert!(r.list(t, "tracks").is_empty());
        assert!(diags[0].message.contains("must be a list, found a number"));
    }

    #[cfg(debug_assertions)]
    const TWO: Spec = Spec {
        name: "two",
        what: "two",
        context: "two keys",
        doc: "Two keys.",
        non_empty: false,
        fields: &[
            crate::parse::spec::Field {
                key: "a",
                ty: crate::parse::spec::Ty::String,
                required: false,
                doc: "A.",
            },
            crate::parse::spec::Field {
                key: "b",
                ty: crate::parse::spec::Ty::String,
                required: false,
                doc: "B.",
            },
        ],
    };

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "does not list")]
    fn reading_a_key_the_table_does_not_list_panics_in_debug_builds() {
        let node = yaml::parse("a: x\n", 1).unwrap();
        let mut diags = Vec::new();
        let mut r = Reader::new("x", &mut diags);
        let mut f = r.fields(&node, &TWO).unwrap();
        f.get("c");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "never reads [\"b\"]")]
    fn never_reading_a_key_the_table_lists_panics_in_debug_builds() {
        let node = yaml::parse("a: x\n", 1).unwrap();
        let mut diags = Vec::new();
        let mut r = Reader::new("x", &mut diags);
        let mut f = r.fields(&node, &TWO).unwrap();
        f.get("a");
        f.finish(&mut r);
    }

    #[test]
    fn suggest_finds_near_misses_only() {
        assert_eq!(suggest("bnad", ["band", "title"]), Some("band"));
        assert_eq!(suggest("zzzzzz", ["band", "title"]), None);
        // A beginning names one key; a tie names none.
        assert_eq!(suggest("lang", ["language", "logo"]), Some("language"));
        assert_eq!(suggest("b9", ["b1", "b2", "b3"]), None);
        assert_eq!(suggest("b9", ["b1", "c2"]), Some("b1"));
    }
}
