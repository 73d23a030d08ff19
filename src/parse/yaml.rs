//! The one place that knows which YAML crate rungs uses.
//!
//! YAML is parsed by serde-saphyr into a small span-carrying tree ([`Node`]); everything
//! else in rungs reads that tree through [`crate::schema`]. serde_yaml, the crate the
//! product first named, is archived and cannot say where a value sits once parsed, so
//! "unknown band `b9`" could only name the file; serde-saphyr's `Spanned<T>` gives the line
//! and column of every value, and its budgets stop alias bombs. Swapping the YAML crate
//! means rewriting this module only.

use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::Pos;
use crate::parse::schema::{Node, Value};

/// A YAML syntax error (or a budget breach) at a position, with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub help: String,
}

/// Text that YAML reads without complaint but not as written: a ` #` starts a comment
/// (`- Posts in the #incidents channel` keeps "Posts in the"; a comment written as one,
/// `# with a space`, is left alone), a leading `!word` is a tag and disappears. `(position, message, help)` for each, in the file's lines.
pub(crate) fn silent_losses(text: &str, first_line: u32) -> Vec<(Pos, String, String)> {
    let mut found = Vec::new();
    // The column of the key or dash that opened a block scalar (`|`, `>`): deeper lines
    // are its text, where `#` and `!` are plain characters.
    let mut block: Option<usize> = None;
    // A quoted value that continues on the next lines, and its quote.
    let mut quoted: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line[indent..].trim_end();
        if let Some(q) = quoted {
            if closes(content, q) {
                quoted = None;
            }
            continue;
        }
        if let Some(b) = block {
            if content.is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if content.starts_with('#') || found.len() >= 20 {
            continue;
        }
        // The value: after list dashes and a `key: `; `opener` is where the key (or the
        // last dash's item) starts, which a block scalar's lines are deeper than.
        let mut value = content;
        let mut opener = indent;
        while let Some(rest) = value.strip_prefix("- ") {
            value = rest.trim_start();
            opener = offset(line, value);
        }
        if let Some(after) = after_key(value) {
            value = after.trim_start();
        }
        if value.starts_with(['|', '>']) {
            block = Some(opener);
            continue;
        }
        if let Some(q) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            if !closes(&value[1..], q) {
                quoted = Some(q);
            }
            continue;
        }
        if value.is_empty() || value.starts_with(['[', '{', '&', '*']) {
            continue;
        }
        // Byte offsets into `line` (the value is a slice of it), as a 1-based column.
        let at = |v: &str| {
            let column = line[..offset(line, v)].chars().count() as u32 + 1;
            Pos::new(i as u32 + first_line, column)
        };
        if value.starts_with('!') && !value.starts_with("! ") {
            let tag = value.split(' ').next().unwrap_or_default();
            found.push((
                at(value),
                format!(
                    "`{tag}` at the start of a value is a YAML tag, and is left out of the text"
                ),
                "put the text in quotes to keep it: \"!important …\"".to_string(),
            ));
            continue;
        }
        // `# a comment` (a space after the hash) is a comment written as one; `#general`
        // or `#1` is text that YAML cuts.
        let cut = value
            .match_indices(" #")
            .map(|(i, _)| i)
            .find(|&i| value[i + 2..].starts_with(|c: char| !c.is_whitespace() && c != '#'));
        if let Some(hash) = cut {
            let kept = value[..hash].trim_end();
            found.push((
                at(&value[hash + 1..]),
                format!("` #` starts a YAML comment: this value reads \"{kept}\", and the rest of the line is left out"),
                "put the text in quotes to keep the `#` and what follows it; a comment belongs on a line of its own".to_string(),
            ));
        }
    }
    found
}

/// Where `part` (a slice of `line`) starts in it, in bytes.
fn offset(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

/// What follows a mapping key and its `: `, if `text` starts with one: a quoted key up
/// to its closing quote, or a plain key up to the first `: ` (before any ` #`).
fn after_key(text: &str) -> Option<&str> {
    let rest = match text.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let end = text[1..].find(q)? + 2;
            text[end..].strip_prefix(':')?
        }
        _ => {
            let colon = text.find(": ").filter(|&c| !text[..c].contains(" #"))?;
            &text[colon + 1..]
        }
    };
    (rest.is_empty() || rest.starts_with(' ')).then_some(rest)
}

/// Whether `text` (after a value's opening quote `q`) holds the closing quote: a `"`
/// not escaped by `\\`, or a `'` not doubled.
fn closes(text: &str, q: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// What to do about a syntax error on `line` (of the YAML text): text that YAML reads as
/// something else when it starts a value needs quotes.
fn syntax_help(text: &str, line: usize) -> String {
    let value = text.lines().nth(line.saturating_sub(1)).map_or("", |l| {
        let mut v = l.trim_start();
        while let Some(rest) = v.strip_prefix("- ") {
            v = rest.trim_start();
        }
        v.split_once(": ")
            .map_or(v, |(_, after)| after.trim_start())
    });
    match value.chars().next() {
        Some(c @ ('*' | '&' | '!' | '@' | '`' | '%' | '|' | '>')) => {
            let name = if c == '`' { "a backtick".to_string() } else { format!("`{c}`") };
            format!(
                "YAML reads a value starting with {name} as syntax: put the whole text in quotes (\"{c}…\"), with `\\\"` for a quote inside"
            )
        }
        Some(c @ ('[' | '{')) => format!(
            "YAML reads a value starting with `{c}` as a {}, which ends at its `{}`: put the whole text in quotes (\"{c}…\"), with `\\\"` for a quote inside",
            if c == '[' { "list" } else { "mapping" },
            if c == '[' { ']' } else { '}' },
        ),
        Some(c @ ('"' | '\'')) if value.len() > 1 && !value.trim_end().ends_with(c) => "a value that starts with a quote ends at the matching quote: close it at the end of the text, and write a quote inside as `\\\"` (or put the whole text in the other kind of quotes)".to_string(),
        _ => "check the indentation and quoting around this position; text holding `: ` or starting with `[`, `{`, `*` or a quote needs quotes around all of it".to_string(),
    }
}

/// Parses one YAML document. `first_line` is the line of the file the text starts on, so
/// positions in front matter are reported at their line in the `.md` file.
pub(crate) fn parse(text: &str, first_line: u32) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        // `yes`, `on` and friends stay strings: a behaviour reading "No" must not become false.
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        budget: Some(budget(text.len())),
    };
    let shift = first_line.saturating_sub(1);
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options) {
        Ok(spanned) => Ok(convert(spanned, text, shift)),
        Err(err) => {
            let mut pos = err
                .location()
                .map(|l| Pos::new(l.line() as u32 + shift, l.column() as u32))
                .unwrap_or(Pos::new(first_line, 1));
            let message = clean_message(&err.without_snippet().to_string());
            let about_tabs = message
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "tab" || w == "tabs");
            let tab = about_tabs
                .then(|| {
                    err.location()
                        .and_then(|l| tab_from(text, l.line() as usize))
                })
                .flatten();
            // A `[` or `{` left open is reported where the parser gave up, often lines
            // below it: point at the bracket.
            let about_brackets = ["bracket", "flow", "':'"]
                .iter()
                .any(|w| message.contains(w));
            let open = (tab.is_none() && about_brackets)
                .then(|| {
                    err.location()
                        .and_then(|l| unclosed_before(text, l.line() as usize))
                })
                .flatten();
            if let Some((line, column)) = tab.or(open.map(|(l, c, _)| (l, c))) {
                pos = Pos::new(line as u32 + shift, column as u32);
            }
            let help = if tab.is_some() {
                "YAML indents with spaces only: replace this tab with spaces".to_string()
            } else if let Some((_, _, bracket)) = open {
                let close = if bracket == '[' { ']' } else { '}' };
                format!(
                    "this `{bracket}` is never closed: YAML reads a value starting with `{bracket}` as a {}; close it with `{close}` or, if it is text, put all of it in quotes",
                    if bracket == '[' { "list" } else { "mapping" }
                )
            } else if message.starts_with("duplicate mapping key") {
                "a key appears once in a mapping: remove one of the two, or merge their values"
                    .to_string()
            } else if message.contains("YAML is") || message.contains("YAML uses") {
                "a framework file holds text and short lists; split this data up or remove the aliases".to_string()
            } else {
                let line = err.location().map_or(0, |l| l.line() as usize);
                syntax_help(text, line)
            };
            Err(SyntaxError { pos, message, help })
        }
    }
}

/// Where the tab a tab error is about is: the first tab from the start of `line` (of the
/// YAML text, 1-based) to two lines below it, as `(line, column)`. The parser reports
/// such an error where the value it was reading began (a tab that indents the next key
/// is reported on the line above, at the start of the text before it), not at the tab.
fn tab_from(text: &str, line: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(3)
        .find_map(|(i, l)| {
            let at = l.find('\t')?;
            Some((i + 1, l[..at].chars().count() + 1))
        })
}

/// The `[` or `{` that starts a value on `line` (of the YAML text, 1-based) or up to five
/// lines above it and is still open at the end of `line` (a list may run over several
/// lines), nearest first: `(line, column, bracket)`. Brackets inside quotes and comments
/// do not count.
fn unclosed_before(text: &str, line: usize) -> Option<(usize, usize, char)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    // How far the brackets of `s` nest, from 0.
    let depth = |s: &str| {
        let (mut depth, mut quote) = (0i32, None);
        for c in s.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                (None, '#') => break,
                _ => {}
            }
        }
        depth
    };
    let first = lines.len().saturating_sub(6);
    (first..lines.len()).rev().find_map(|i| {
        let l = lines[i];
        let mut v = l.trim_start();
        while let Some(rest) = v.strip_prefix("- ") {
            v = rest.trim_start();
        }
        let v = match v.split_once(": ") {
            Some((_, after)) if !v.starts_with(['[', '{']) => after.trim_start(),
            _ => v,
        };
        let bracket = v.chars().next().filter(|c| matches!(c, '[' | '{'))?;
        let open = depth(v) + lines[i + 1..].iter().map(|l| depth(l)).sum::<i32>();
        let column = l[..l.len() - v.len()].chars().count() + 1;
        (open > 0).then_some((i + 1, column, bracket))
    })
}

/// Writes a value as YAML (for `rungs import`): strings are quoted or escaped by the
/// serializer wherever YAML would read them as something else (`No`, `1.0`, `- x`, `#`,
/// `: `, line breaks, control characters), so no text reaches a file unescaped. Block
/// scalars are only used for text with line breaks, where `|` keeps them exactly.
pub(crate) fn to_yaml<T: Serialize>(value: &T) -> Result<String, String> {
    let options = serde_saphyr::ser_options! {
        indent_step: 2,
        prefer_block_scalars: false,
    };
    serde_saphyr::to_string_with_options(value, options).map_err(|e| e.to_string())
}

/// `text` as YAML (or TOML) comment lines, `# ` before each; line breaks and control
/// characters in it become spaces so a comment cannot end early.
pub(crate) fn comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let clean: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let clean = clean.trim_end();
        if clean.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(clean);
            out.push('\n');
        }
    }
    out
}

/// Limits far above any real career framework and far below what hurts, in proportion to
/// the text: a value written takes at least two bytes, so a file cannot hold more nodes
/// than bytes, or much more text than it has, without aliases expanding it (an alias
/// bomb of a few hundred bytes is refused after a hundred thousand nodes, in a tenth of
/// a second; a small file may still use anchors for lists it repeats).
fn budget(len: usize) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_aliases = 1_000;
    budget.max_nodes = len.clamp(100_000, 2_000_000);
    budget.max_total_scalar_bytes = len.saturating_mul(4).clamp(1 << 20, 64 << 20);
    // A framework file nests five or six deep; each level costs stack in the recursive
    // reader, and a debug build on a 2 MiB worker thread overflowed at 60.
    budget.max_depth = MAX_DEPTH;
    budget
}

/// How deep YAML may nest.
const MAX_DEPTH: usize = 32;

/// serde-saphyr appends "at line L, column C" to messages; rungs prints positions itself.
fn clean_message(message: &str) -> String {
    let msg = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let msg = msg.trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable");
    if msg == "recursion limit exceeded" {
        // The reader's own guard, before the budget's.
        return format!("YAML is nested more than {} levels deep", MAX_DEPTH);
    }
    if let Some(rest) = msg.strip_prefix("budget breached: ") {
        // serde-saphyr names the limit in Rust's debug form (`Depth { depth: 65 }`).
        let what = rest.split([' ', '{']).next().unwrap_or_default();
        return match what {
            "Depth" => format!("YAML is nested more than {} levels deep", MAX_DEPTH),
            "Aliases" | "Anchors" => {
                "YAML uses too many aliases (`*name`); a framework file needs few if any"
                    .to_string()
            }
            _ => "YAML is too large, or expands too much through aliases (`*name`)".to_string(),
        };
    }
    msg.to_string()
}

fn convert(spanned: Spanned<Raw>, text: &str, shift: u32) -> Node {
    let loc = spanned.referenced;
    let pos = Pos::new(loc.line() as u32 + shift, loc.column() as u32);
    // Where the number is written (an alias's target, not the `*name`).
    let written = spanned.defined.span();
    let value = match spanned.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i, number_as_written(text, written, || i.to_string())),
        Raw::Float(f) => Value::Float(f, number_as_written(text, written, || f.to_string())),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|n| convert(n, text, shift)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (convert(k, text, shift), convert(v, text, shift)))
                .collect(),
        ),
    };
    Node { pos, value }
}

/// A number's text as written at `span` of `text`: a plain scalar, which ends at a
/// space, a comment or the end of a flow item. Read as text (a title), `0x1F` stays
/// `0x1F` and `1.50` stays `1.50`. The span's byte offset finds it in constant time
/// (a document can hold a great many numbers); without one, the number as Rust writes it.
fn number_as_written(
    text: &str,
    span: serde_saphyr::Span,
    fallback: impl Fn() -> String,
) -> String {
    let start = span.byte_offset().and_then(|o| usize::try_from(o).ok());
    let rest = start.and_then(|o| text.get(o..)).unwrap_or_default();
    let written = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .next()
        .unwrap_or_default();
    // A span that does not start at the number (an anchor's `&name`, a tag) is not it.
    if written.is_empty()
        || !written.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
    {
        fallback()
    } else {
        written.to_string()
    }
}

/// The tree as serde-saphyr hands it over, before positions are made file-relative.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_yaml_would_silently_shorten_is_found() {
        let text = "title: Posts in #general\nsummary: Plan #1 and more\nitems:\n  - !important Reviews code\n  - \"Quoted #kept\"\n  - https://x.example/#frag\n  - Fine # a comment\nkey: # a comment\n# a whole-line comment\nbody: |\n  Text with #hash\n  - !kept too\nafter: x #lost\n";
        let found: Vec<(u32, u32)> = silent_losses(text, 2)
            .iter()
            .map(|(p, _, _)| (p.line, p.column))
            .collect();
        assert_eq!(found, [(2, 17), (3, 15), (5, 5), (14, 10)]);
        // Trailing spaces after text in other scripts, a quoted value over two lines,
        // keys that hold a `#` or quotes before a block, and a key after a block that
        // opened in a list item.
        let text = "- Reviews in #équipe  \n- 相談は #雑談 \nsummary: \"Posts notes in the\n  team #incidents channel\"\nC# work: |\n  See #general\n\"Scope\": >\n  !kept\nitems:\n  - body: |\n      text #kept\n    other: x #lost\n";
        let found: Vec<(u32, u32)> = silent_losses(text, 1)
            .iter()
            .map(|(p, _, _)| (p.line, p.column))
            .collect();
        assert_eq!(found, [(1, 14), (2, 7), (12, 14)]);
        let parsed = parse("title: Posts in #general\nsummary: Plan #1 and more\n", 2).unwrap();
        let Value::Map(entries) = parsed.value else {
            panic!()
        };
        let Value::Str(summary) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(summary, "Plan", "what the warning says is kept");
    }

    #[test]
    fn a_syntax_error_says_how_to_quote_the_text() {
        for (text, says) in [
            ("items:\n  - *Owns* the roadmap\n", "starting with `*`"),
            ("items:\n  - `rungs` daily\n", "starting with a backtick"),
            (
                "items:\n  - \"Quoted\" then text\n",
                "ends at the matching quote",
            ),
        ] {
            let err = parse(text, 1).unwrap_err();
            assert!(err.help.contains(says), "{text}: {err:?}");
        }
        let bomb = (1..10).fold("a0: &a0 [x,x,x,x,x,x,x,x,x]\n".to_string(), |t, i| {
            format!(
                "{t}a{i}: &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 9].join(",")
            )
        });
        let err = parse(&bomb, 1).unwrap_err();
        assert!(err.message.contains("expands too much"), "{err:?}");
        assert!(err.help.contains("aliases"), "{err:?}");
    }
    use super::*;

    #[test]
    fn positions_are_shifted_to_the_file_line() {
        let node = parse("title: x\nband: b9\n", 2).unwrap();
        let Value::Map(entries) = node.value else {
            panic!()
        };
        assert_eq!(entries[1].1.pos, Pos::new(3, 7));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        // Run on a thread with the stack of a rayon worker (2 MiB), as parsing is.
        let deep = |n: usize| format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n));
        let (ok, refused) = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                (
                    parse(&deep(30), 1),
                    [40, 10_000].map(|n| parse(&deep(n), 1)),
                )
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(ok.is_ok(), "{ok:?}");
        for r in refused {
            let e = r.unwrap_err();
            assert_eq!(
                e.message, "YAML is nested more than 32 levels deep",
                "{e:?}"
            );
        }
    }

    #[test]
    fn yes_stays_a_string() {
        let node = parse("a: yes\n", 1).unwrap();
        let Value::Map(entries) = node.value else {
            panic!()
        };
        assert_eq!(entries[0].1.value, Value::Str("yes".into()));
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second_key() {
        let err = parse("a: 1\na: 2\n", 1).unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 1));
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert!(!err.message.contains("DuplicateKeyPolicy"));
    }

    #[test]
    fn syntax_errors_carry_the_position() {
        let err = parse("x: 1\na: [1, 2\n", 5).unwrap_err();
        assert_eq!(err.pos.line, 6);
        assert!(!err.message.contains(" at line "));
    }

    /// Parses `text` as front matter starting on line 2 of its file and checks the
    /// error's position and help.
    fn error_at(text: &str, (line, column): (u32, u32), help: &str) {
        let err = parse(text, 2).unwrap_err();
        let at = (err.pos.line, err.pos.column);
        assert_eq!(at, (line, column), "{text:?}: {}", err.message);
        assert!(err.help.contains(help), "{text:?}: {}", err.help);
    }

    #[test]
    fn a_tab_that_indents_is_reported_where_it_is() {
        // The parser reports these where the value it was reading began: the line above,
        // or the column after the tab. The front matter starts on line 2 of its file.
        for (text, line, column) in [
            ("b:\n  s:\n    - Mentors.\n\tl:\n    - Hires.\n", 5, 1),
            ("b:\n  s:\n\t- Mentors.\n", 4, 1),
            ("title: C\n\tsummary: x\n", 3, 1),
            ("b:\n  s:\n  \t- Mentors.\n", 4, 3),
        ] {
            error_at(text, (line, column), "replace this tab with spaces");
        }
        // Tabs inside text are text.
        assert!(parse("a: \"tab\\there\"\nb: x\ty\n", 1).is_ok());
    }

    #[test]
    fn a_bracket_left_open_is_reported_where_it_opens() {
        for (text, line, column) in [
            (
                "title: C\nsummary: [unclosed\nbehaviours:\n  s:\n    - M.\n",
                3,
                10,
            ),
            ("b:\n  s: [Mentors.\n  l:\n    - Hires.\n", 3, 6),
            ("title: C\nsummary: {a: b\nb:\n  - x\n", 3, 10),
            ("summary: \"x [y\"\nb: [a: b\n", 3, 4),
        ] {
            error_at(text, (line, column), "is never closed");
        }
        // A list that runs over lines is open until its `]`: closed before the line of an
        // error, it is not what the error is about.
        assert_eq!(unclosed_before("tags: [a,\n  b]\nsummary: x: y\n", 3), None);
        assert_eq!(
            unclosed_before("tags: [a,\n  b\nsummary: x\n", 3),
            Some((1, 7, '['))
        );
        assert_eq!(unclosed_before("- {a: '}'\n", 1), Some((1, 3, '{')));
        assert_eq!(unclosed_before("a: x # [\n", 1), None);
    }

    /// Every string the importer may write reads back as the same string, through the
    /// parser rungs reads sites with.
    #[test]
    fn written_strings_read_back_the_same() {
        let strings = [
            "plain",
            "No",
            "yes",
            "on",
            "null",
            "~",
            "1",
            "1.0",
            "0x1F",
            "1e3",
            ".inf",
            "- dash",
            "#hash",
            "a # b",
            "a: b",
            "key:",
            "[x]",
            "{x}",
            "*alias",
            "&anchor",
            "!tag",
            "%x",
            "@x",
            "`x`",
            "'quoted'",
            "\"dq\"",
            "two\nlines",
            "trailing \n",
            "\nleading",
            "  spaces  ",
            "tab\there",
            "back\\slash",
            "é ü 工程",
            "emoji 🚀",
            "| pipe",
            "> gt",
            "? q",
            "a\n\nb",
            "x\r",
            "---",
            "...",
            "\u{2028}sep",
            "",
            " ",
            "=1",
            "2024-01-01",
        ];
        #[derive(Serialize)]
        struct Doc<'a> {
            items: Vec<&'a str>,
            map: std::collections::BTreeMap<&'a str, &'a str>,
        }
        let doc = Doc {
            items: strings.to_vec(),
            map: strings
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| (*s, *s))
                .collect(),
        };
        let text = to_yaml(&doc).unwrap();
        let node = parse(&text, 1).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let Value::Map(entries) = node.value else {
            panic!()
        };
        let Value::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        for (item, want) in items.iter().zip(strings) {
            assert_eq!(item.value, Value::Str(want.to_string()), "{text}");
        }
        let Value::Map(map) = &entries[1].1.value else {
            panic!()
        };
        for (k, v) in map {
            assert_eq!(k.value, v.value, "{text}");
        }
    }

    #[test]
    fn comments_cannot_end_early() {
        assert_eq!(comment("a\nb\u{7}c"), "# a\n# b c\n");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        for w in names.windows(2) {
            text.push_str(&format!(
                "{}: &{} [{}]\n",
                w[1],
                w[1],
                vec![format!("*{}", w[0]); 9].join(",")
            ));
        }
        let err = parse(&text, 1).unwrap_err();
        assert!(err.message.contains("aliases"), "{}", err.message);
    }
}
