//! `site.toml`: the site's settings, read with the same collect-every-problem rules as
//! the framework files (the TOML is turned into a positioned [`Node`] tree first).

use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Pos};
use crate::markdown::MarkdownOptions;
use crate::schema::{Node, Reader, Value};

pub const FILE: &str = "site.toml";

/// The settings of one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Where the site is published, e.g. `https://careers.example.com/engineering/`.
    /// Pages link relatively whatever it is; it is used for the sitemap, canonical links
    /// and the 404 page (which is served from arbitrary paths).
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    #[serde(skip)]
    pub markdown: MarkdownOptions,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Career framework".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            markdown: MarkdownOptions::default(),
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url`, always ending in `/`: `/engineering/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.as_str();
        let path = match url.find("://") {
            Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
            None => url,
        };
        let mut path = path.to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        path
    }

    /// Whether `base_url` is absolute (needed for a valid sitemap).
    pub fn is_absolute(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "markdown",
];

/// Parses `site.toml`, reporting every problem.
pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> SiteConfig {
    let mut config = SiteConfig::default();
    let root = match DeTable::parse(text) {
        Ok(table) => table_node(text, table.get_ref(), Pos::START),
        Err(err) => {
            let pos = err.span().map_or(Pos::START, |s| pos_at(text, s.start));
            diags.push(
                Diagnostic::error(
                    FILE,
                    pos,
                    format!("malformed TOML: {}", err.message().trim()),
                )
                .with_help("site.toml is TOML: `key = \"value\"` lines and `[section]` headers"),
            );
            return config;
        }
    };
    let mut r = Reader::new(FILE, diags);
    let Some(mut f) = r.fields(&root, "site.toml") else {
        return config;
    };
    match f.get("title").and_then(|n| r.text(n, "title")) {
        Some(t) => config.title = t.value,
        None if f.pos == Pos::START && !text.contains("title") => {
            r.warning(
                Pos::START,
                "site.toml has no `title`; using \"Career framework\"",
            );
        }
        None => {}
    }
    if let Some(v) = f
        .get("description")
        .and_then(|n| r.string(n, "description"))
    {
        config.description = v.value;
    }
    if let Some(v) = f.get("base_url").and_then(|n| r.text(n, "base_url")) {
        config.base_url = v.value;
    }
    if let Some(v) = f.get("language").and_then(|n| r.text(n, "language")) {
        config.language = v.value;
    }
    if let Some(v) = f.get("theme").and_then(|n| r.id(n, "theme")) {
        config.theme = v.value;
    }
    if let Some(n) = f.get("output_dir")
        && let Some(v) = r.text(n, "output_dir")
    {
        if v.value.split(['/', '\\']).any(|c| c == "..") || v.value.starts_with('/') {
            r.error(n.pos, "`output_dir` must be a folder inside the site")
                .help = Some(
                "use a relative path such as `public`; pass `--out` to build elsewhere".into(),
            );
        } else {
            config.output_dir = v.value;
        }
    }
    if let Some(n) = f.get("markdown")
        && let Some(mut m) = r.fields(n, "markdown")
    {
        if let Some(b) = m
            .get("allow_raw_html")
            .and_then(|n| r.boolean(n, "allow_raw_html"))
        {
            config.markdown.allow_raw_html = b;
        }
        m.finish(&mut r, &["allow_raw_html"], "the [markdown] table");
    }
    f.finish(&mut r, KEYS, "site.toml");
    config
}

/// 1-based line and column of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos::new(line, column)
}

fn table_node(text: &str, table: &DeTable<'_>, pos: Pos) -> Node {
    let entries = table
        .iter()
        .map(|(k, v)| {
            let key = Node {
                pos: pos_at(text, k.span().start),
                value: Value::Str(k.get_ref().to_string()),
            };
            (
                key,
                value_node(text, v.get_ref(), pos_at(text, v.span().start)),
            )
        })
        .collect();
    Node {
        pos,
        value: Value::Map(entries),
    }
}

fn value_node(text: &str, value: &DeValue<'_>, pos: Pos) -> Node {
    let value = match value {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Str(i.as_str().to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::Str(f.as_str().to_string())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(
            items
                .iter()
                .map(|v| value_node(text, v.get_ref(), pos_at(text, v.span().start)))
                .collect(),
        ),
        DeValue::Table(t) => return table_node(text, t, pos),
    };
    Node { pos, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting() {
        let mut d = Vec::new();
        let c = parse(
            "title = \"Acme\"\nbase_url = \"https://x.org/eng\"\n[markdown]\nallow_raw_html = true\n",
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.title, "Acme");
        assert_eq!(c.base_path(), "/eng/");
        assert!(c.markdown.allow_raw_html);
    }

    #[test]
    fn reports_every_unknown_key_and_wrong_type_with_positions() {
        let mut d = Vec::new();
        parse(
            "title = 3.5\ntheem = \"x\"\n[markdown]\nallow_raw_html = \"yes\"\nfoo = 1\n",
            &mut d,
        );
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 2 && m.contains("unknown key `theem`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 4 && m.contains("true or false")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 5 && m.contains("unknown key `foo`")),
            "{lines:?}"
        );
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let mut d = Vec::new();
        parse("title = \"Acme\"\nbase_url = \n", &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.starts_with("malformed TOML"));
    }

    #[test]
    fn output_dir_cannot_escape() {
        let mut d = Vec::new();
        parse("title = \"x\"\noutput_dir = \"../../etc\"\n", &mut d);
        assert!(d[0].message.contains("inside the site"));
    }

    #[test]
    fn pos_at_counts_characters() {
        assert_eq!(pos_at("ab\ncdé f", 8), Pos::new(2, 5));
    }
}
