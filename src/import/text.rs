//! Text rules of the importer: ids from titles, titles from messy headings, level
//! numbers, track kinds and area categories guessed from words, and plain text made
//! into Markdown that shows exactly that text.

use std::collections::BTreeSet;

use crate::markdown::plain_text_as_written;

/// The longest id the importer makes (rungs accepts 64 characters).
const MAX_ID_CHARS: usize = 60;

/// An id from a title: ASCII lowercase letters and digits joined by single hyphens,
/// accents folded (`Développeuse` → `developpeuse`), other characters dropped, at most
/// 60 characters cut at a hyphen. Empty when nothing is left.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        let mut buf = [0u8; 4];
        let letters: &str = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase().encode_utf8(&mut buf)
        } else if let Some(base) = fold(c) {
            base
        } else {
            // Letters without an ASCII form are dropped; anything else breaks words.
            if !c.is_alphanumeric() {
                dash = true;
            }
            continue;
        };
        if dash && !out.is_empty() {
            out.push('-');
        }
        dash = false;
        out.push_str(letters);
    }
    if out.len() > MAX_ID_CHARS {
        let cut = out[..MAX_ID_CHARS].rfind('-').unwrap_or(MAX_ID_CHARS);
        out.truncate(cut);
    }
    out
}

/// The ASCII base of common accented Latin letters (`é` → `e`, `ß` → `ss`).
fn fold(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ţťŧ", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    TABLE
        .iter()
        .find(|(set, _)| set.contains(lower))
        .map(|(_, base)| *base)
}

/// Hands out ids unique within one kind: the slug of a title, else a fallback, with
/// `-2`, `-3` … when taken.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    taken: BTreeSet<String>,
}

impl Ids {
    /// Claims exactly `id` if it is free.
    pub(crate) fn claim(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    /// The first free id among `candidates` (non-empty ones), else the first non-empty
    /// candidate (or `fallback`) with a number.
    pub(crate) fn unique(&mut self, candidates: &[&str], fallback: &str) -> String {
        for c in candidates.iter().filter(|c| !c.is_empty()) {
            if self.claim(c) {
                return (*c).to_string();
            }
        }
        let base = candidates
            .iter()
            .find(|c| !c.is_empty())
            .copied()
            .unwrap_or(fallback);
        let base = if base.is_empty() { "item" } else { base };
        if self.claim(base) {
            return base.to_string();
        }
        let mut n = 2;
        loop {
            let id = format!("{base}-{n}");
            if self.claim(&id) {
                return id;
            }
            n += 1;
        }
    }
}

/// A heading or header cell as a title, with what the importer read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cleaned {
    pub title: String,
    /// A level number written as a prefix (`Level 3 – Senior`), if any.
    pub number: Option<u32>,
    /// Whether the title differs from the text (emoji, numbering or a prefix removed).
    pub changed: bool,
}

/// Words that, followed by a number, say "the number of this rung" and nothing more.
const RUNG_WORDS: &[&str] = &[
    "level", "lvl", "grade", "band", "tier", "step", "stage", "rung",
];

/// A title from a heading: emoji and decorations at either end, list numbering (`1.`,
/// `2)`) and a `Level 3 –` prefix removed; the prefix's number kept for bands.
pub(crate) fn clean_heading(text: &str) -> Cleaned {
    let original = collapse_spaces(text);
    let mut t = trim_decorations(&original);
    // `1.` / `1)` / `1 -` numbering (not `1.5`, not `2 teams`).
    if let Some(rest) = strip_numbering(t) {
        t = trim_decorations(rest);
    }
    let mut number = None;
    // `Level 3 – Senior Engineer`, `Level 3: Senior`, `Grade 2 | Engineer`.
    let lower = t.to_lowercase();
    for w in RUNG_WORDS {
        let Some(after) = lower.strip_prefix(w) else {
            continue;
        };
        let after_orig = &t[t.len() - after.len()..];
        let digits_start = after_orig.len() - after_orig.trim_start().len();
        let rest = &after_orig[digits_start..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty()
            || digits_start == 0 && !after.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let rest = &rest[digits.len()..];
        let trimmed = rest.trim_start();
        if let Some(tail) = trimmed.strip_prefix(['-', '–', '—', ':', '|', '·', '/']) {
            let tail = trim_decorations(tail);
            if !tail.is_empty() {
                number = digits.parse().ok();
                t = tail;
            }
        } else if let Some(inner) = trimmed.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            // `Level 3 (Senior Engineer)`
            let inner = trim_decorations(inner);
            if !inner.is_empty() {
                number = digits.parse().ok();
                t = inner;
            }
        } else if trimmed.is_empty() {
            number = digits.parse().ok();
        }
        break;
    }
    // A heading of emoji or punctuation only keeps them: a title is never empty.
    let title = if t.is_empty() {
        original.clone()
    } else {
        t.to_string()
    };
    Cleaned {
        changed: title != original,
        title,
        number,
    }
}

/// Leading and trailing characters that are neither letters, digits nor the brackets and
/// quotes a title may start or end with (emoji, arrows, bullets, stray punctuation).
fn trim_decorations(s: &str) -> &str {
    let keep = |c: char| c.is_alphanumeric() || "([\"'“‘¿¡#@$£€".contains(c);
    let keep_end = |c: char| c.is_alphanumeric() || ")]\"'”’?!.+%".contains(c);
    let s = s.trim_start_matches(|c: char| !keep(c));
    s.trim_end_matches(|c: char| !keep_end(c) || c == '.' && !s.ends_with("etc."))
}

/// `1. `, `1) `, `1 - `, `IV. ` at the start: the rest; `None` when there is none.
fn strip_numbering(s: &str) -> Option<&str> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let rest = if digits > 0 && digits <= 3 {
        &s[digits..]
    } else {
        let roman = s
            .chars()
            .take_while(|c| matches!(c, 'I' | 'V' | 'X'))
            .count();
        if roman == 0 || roman > 4 {
            return None;
        }
        let rest = &s[roman..];
        // Roman numerals only with a dot or bracket (`IV. Staff`), never `IC3` or `VP`.
        if !rest.starts_with(['.', ')']) {
            return None;
        }
        rest
    };
    let after = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .or_else(|| rest.strip_prefix(" - "))
        .or_else(|| rest.strip_prefix(" – "))
        .or_else(|| rest.strip_prefix(" — "))
        .or_else(|| rest.strip_prefix(": "))?;
    (!after.trim().is_empty()).then_some(after)
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rung number a level title carries, if exactly one: `IC3`, `L4`, `E5`, `M3`,
/// `Software Engineer 2`, `Engineer II`, `Level 6`. `None` for no number or several.
pub(crate) fn level_number(title: &str) -> Option<u32> {
    let mut found: Vec<u32> = Vec::new();
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let letters = word.chars().take_while(char::is_ascii_alphabetic).count();
        let digits = &word[letters..];
        if !digits.is_empty() && letters <= 3 && digits.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(n) = digits.parse::<u32>()
                && n < 100
            {
                found.push(n);
            }
            continue;
        }
        if let Some(n) = roman(word) {
            found.push(n);
        }
    }
    (found.len() == 1).then(|| found[0])
}

/// `I` to `X` as a whole word in capitals (`II`, `IV`), never a lone `I` (a pronoun).
fn roman(word: &str) -> Option<u32> {
    const NUMERALS: &[&str] = &["II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    NUMERALS
        .iter()
        .position(|n| *n == word)
        .map(|i| i as u32 + 2)
}

/// Whether words of a title name management (`Engineering Manager`, `Director`, `VP`,
/// `Head of`, `managers.md`).
pub(crate) fn sounds_like_management(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("manag")
        || lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "director"
                    | "directors"
                    | "vp"
                    | "head"
                    | "cto"
                    | "chief"
                    | "em"
                    | "lead"
                    | "leads"
                    | "leadership"
            )
        }) && !lower.contains("tech lead")
            && !lower.contains("technical lead")
}

/// A category for an area, from its words: `technical`, `delivery`, `leadership` or
/// `enterprise` (the default theme's four colours), else `general`.
pub(crate) fn guess_category(title: &str) -> &'static str {
    const DELIVERY: &[&str] = &[
        "deliver",
        "execut",
        "result",
        "impact",
        "ownership",
        "project",
        "planning",
        "process",
    ];
    const LEADERSHIP: &[&str] = &[
        "lead",
        "people",
        "manag",
        "mentor",
        "talent",
        "coach",
        "team",
        "hiring",
        "direction",
    ];
    const ENTERPRISE: &[&str] = &[
        "communic",
        "collabor",
        "culture",
        "citizen",
        "community",
        "influenc",
        "business",
        "strateg",
        "stakeholder",
        "customer",
        "values",
        "feedback",
        "enterprise",
    ];
    const TECHNICAL: &[&str] = &[
        "technic",
        "craft",
        "engineer",
        "design",
        "code",
        "coding",
        "architect",
        "system",
        "quality",
        "security",
        "data",
        "reliab",
        "operat",
        "technolog",
        "test",
        "software",
        "domain",
        "knowledge",
        "expertise",
        "product",
        "debug",
        "observab",
        "infrastructure",
    ];
    let lower = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // Delivery first: "project management" is delivery, "people management" leadership.
    for (words, category) in [
        (DELIVERY, "delivery"),
        (LEADERSHIP, "leadership"),
        (ENTERPRISE, "enterprise"),
        (TECHNICAL, "technical"),
    ] {
        if has(words) {
            return category;
        }
    }
    "general"
}

/// Markdown that reads as exactly `plain` (up to line breaks, which Markdown joins with
/// a space): `plain` itself when Markdown would not change it, else with the characters
/// that would be read as markup escaped. Spreadsheets hold plain text; a `*` or `<b>` in
/// a cell is meant as written.
pub(crate) fn markdown_for_plain(plain: &str) -> String {
    let want = plain_text_as_written(&escape_all(plain));
    if plain_text_as_written(plain) == want {
        return plain.to_string();
    }
    let escaped = escape_markup(plain);
    if plain_text_as_written(&escaped) == want {
        return escaped;
    }
    escape_all(plain)
}

/// Backslashes before the characters that open inline markup, and before block markers
/// at the start of a line.
fn escape_markup(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len() + 8);
    for (i, line) in plain.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        out.push_str(&line[..indent]);
        let body = &line[indent..];
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        let block_marker = body.starts_with(['#', '-', '+', '>', '=', '|'])
            || digits > 0 && body[digits..].starts_with(['.', ')']);
        for (k, c) in body.char_indices() {
            let marker_here = block_marker && (k == digits && digits > 0 || k == 0 && digits == 0);
            if marker_here || "\\`*_[]<>&~|!".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Every ASCII punctuation character escaped: always reads as written.
fn escape_all(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len() * 2);
    for c in plain.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_drop_symbols() {
        assert_eq!(slug("Senior Engineer"), "senior-engineer");
        assert_eq!(slug("  Développeuse Sénior "), "developpeuse-senior");
        assert_eq!(
            slug("Software Engineering & Design"),
            "software-engineering-design"
        );
        assert_eq!(slug("🚀 Staff"), "staff");
        assert_eq!(slug("工程师"), "");
        assert_eq!(slug("L3 / IC3"), "l3-ic3");
        let long = "word ".repeat(30);
        let s = slug(&long);
        assert!(s.len() <= 60 && !s.ends_with('-'), "{s}");
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique(&["a"], "x"), "a");
        assert_eq!(ids.unique(&["a", "b"], "x"), "b");
        assert_eq!(ids.unique(&["a"], "x"), "a-2");
        assert_eq!(ids.unique(&[""], "x"), "x");
        assert_eq!(ids.unique(&[""], "x"), "x-2");
    }

    #[test]
    fn headings_lose_emoji_numbering_and_rung_prefixes() {
        let c = clean_heading("🚀 1. Level 3 – Senior Engineer ✨");
        assert_eq!(c.title, "Senior Engineer");
        assert_eq!(c.number, Some(3));
        assert!(c.changed);
        let c = clean_heading("Level 3");
        assert_eq!((c.title.as_str(), c.number), ("Level 3", Some(3)));
        assert!(!clean_heading("Senior Engineer").changed);
        assert_eq!(clean_heading("2) Staff").title, "Staff");
        assert_eq!(clean_heading("IV. Principal").title, "Principal");
        assert_eq!(clean_heading("IC3 – Senior").title, "IC3 – Senior");
        assert_eq!(clean_heading("Level 2 (Mid-level)").title, "Mid-level");
        assert_eq!(
            clean_heading("📈 Execution & Results").title,
            "Execution & Results"
        );
        assert_eq!(
            clean_heading("Why these competencies?").title,
            "Why these competencies?"
        );
        assert_eq!(clean_heading("Levelling up").title, "Levelling up");
        assert_eq!(clean_heading("🚀").title, "🚀");
    }

    #[test]
    fn level_numbers() {
        assert_eq!(level_number("IC3"), Some(3));
        assert_eq!(level_number("Software Engineer 2"), Some(2));
        assert_eq!(level_number("Engineer II"), Some(2));
        assert_eq!(level_number("E5 - Staff"), Some(5));
        assert_eq!(level_number("Senior Engineer"), None);
        assert_eq!(level_number("L3 / IC3"), None);
        assert_eq!(level_number("I am"), None);
    }

    #[test]
    fn management_words() {
        assert!(sounds_like_management("Engineering Manager"));
        assert!(sounds_like_management("managers"));
        assert!(sounds_like_management("VP of Engineering"));
        assert!(!sounds_like_management("Tech Lead"));
        assert!(!sounds_like_management("Staff Engineer"));
    }

    #[test]
    fn categories() {
        assert_eq!(guess_category("Software Engineering & Design"), "technical");
        assert_eq!(guess_category("Execution & Results"), "delivery");
        assert_eq!(guess_category("Management & Leadership"), "leadership");
        assert_eq!(
            guess_category("Collaboration & Communication"),
            "enterprise"
        );
        assert_eq!(guess_category("Zen"), "general");
        assert_eq!(guess_category("Enterprise skills"), "enterprise");
        assert_eq!(guess_category("Project management"), "delivery");
        assert_eq!(guess_category("People management"), "leadership");
    }

    #[test]
    fn plain_text_becomes_markdown_that_shows_it() {
        for s in [
            "Writes code",
            "Uses 2*3 and a_b_c",
            "Knows *emphasis* and <b>tags</b>",
            "- starts with a dash",
            "# not a heading",
            "1. not a list",
            "[not](a link)",
            "back\\slash & ampersand &amp;",
            "`ticks`",
            "a | b",
        ] {
            let md = markdown_for_plain(s);
            assert_eq!(plain_text_as_written(&md), s, "{s:?} -> {md:?}");
        }
        assert_eq!(markdown_for_plain("Writes code"), "Writes code");
        assert_eq!(markdown_for_plain("Uses foo_bar"), "Uses foo_bar");
    }
}
